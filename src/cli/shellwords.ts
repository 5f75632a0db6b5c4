// Splits a command string into words like Ruby's Shellwords.split (used for `aliases:` in deploy.yml):
// blanks separate words, '...' is literal, "..." allows \\ \" \$ \` escapes, a backslash outside quotes escapes
// the next character.
import { ArgumentError } from "../errors.ts";

export function shellSplit(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === " " || c === "\t" || c === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "\\") {
      i++;
      if (i < line.length && line[i] !== "\n") word += line[i];
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ArgumentError(`Unmatched quote: ${JSON.stringify(line)}`);
      word += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === "\\" && j + 1 < line.length && '\\"$`\n'.includes(line[j + 1])) {
          j++;
          if (line[j] !== "\n") word += line[j];
        } else word += line[j];
      }
      if (j >= line.length) throw new ArgumentError(`Unmatched quote: ${JSON.stringify(line)}`);
      i = j;
    } else {
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}
