// The built-in error pages (our own HTML). Titles follow kamal-proxy ("404 — Not Found"); the texts are ours.
// Each page is a template for error-pages.ts (the 503 page shows `{{ .Message }}` when a service is stopped).

interface PageText {
  title: string;
  body: string;
}

const PAGES: Record<number, PageText> = {
  404: { title: "Not Found", body: "<p>The page you asked for does not exist here. Check the address, or go back and try another link.</p>" },
  413: { title: "Content Too Large", body: "<p>The request sent to this site was larger than it accepts.</p>" },
  502: { title: "Bad Gateway", body: "<p>The application behind this address gave an invalid response. Please try again shortly.</p>" },
  503: {
    title: "Service Temporarily Unavailable",
    body: "{{ if .Message }}<p>{{ .Message }}</p>{{ else }}<p>This service is temporarily unavailable. Please try again in a few moments.</p>{{ end }}",
  },
  504: { title: "Gateway Timeout", body: "<p>The application did not answer in time. Please try again shortly.</p>" },
};

const STYLE = [
  "*{box-sizing:border-box}",
  "html,body{margin:0;height:100%}",
  "body{display:flex;align-items:center;justify-content:center;background:#0971D5;color:#fff;",
  "font:18px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;text-align:center;padding:2rem}",
  "main{max-width:36rem}",
  "h1{font-size:4rem;margin:0 0 .25rem;font-weight:800;letter-spacing:-.02em}",
  "h2{font-size:1.5rem;margin:0 0 1rem;font-weight:600}",
  "p{margin:0;opacity:.9}",
].join("");

export function builtInPageSource(status: number): string {
  const page = PAGES[status];
  if (!page) throw new Error(`no built-in error page for ${status}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${status} — ${page.title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${status}</h1>
<h2>${page.title}</h2>
${page.body}
</main>
</body>
</html>
`;
}
