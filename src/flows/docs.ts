// `kamal docs [SECTION]`: documentation of the config file, one section at a time.
import { DOC_SECTIONS } from "../docs/index.ts";

/** Accepted spellings besides the section names (Kamal looks sections up by class name). */
const ALIASES: Record<string, string> = { accessories: "accessory", aliases: "alias", roles: "role", server: "servers" };

/** The documentation of `section` (the root configuration without one), or Kamal's not-found line. */
export function docsFor(section?: string): string {
  if (section === undefined || section === "") return DOC_SECTIONS.configuration!;
  const key = section.toLowerCase();
  const name = Object.hasOwn(DOC_SECTIONS, key) ? key : ALIASES[key];
  if (name === undefined || !Object.hasOwn(DOC_SECTIONS, name)) return `No documentation found for ${section}`;
  return DOC_SECTIONS[name]!;
}

/** The section names, for help output. */
export const docSections = (): string[] => Object.keys(DOC_SECTIONS);
