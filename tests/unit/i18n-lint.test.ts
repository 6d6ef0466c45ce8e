import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * What a linter can see: every user-visible string in the UI goes through the translation layer.
 * Fails on text written directly in JSX, on literal strings in user-facing props, on literal page
 * titles, and on physical (left/right) CSS classes that break right-to-left layouts.
 */
const ROOT = path.resolve("app");
const USER_FACING_PROPS = new Set([
  "label",
  "placeholder",
  "title",
  "alt",
  "aria-label",
  "aria-description",
  "hint",
  "message",
  "empty",
]);
/** Text that is the same in every language. */
const ALLOWED_TEXT = new Set(["Convene"]);
const PHYSICAL_CLASS =
  /(?:^|\s|:)(?:-?m[lr]-|p[lr]-|-?left-|-?right-|text-left|text-right|float-left|float-right|rounded-[lr](?:-|\s|$)|rounded-[tb][lr]-|border-[lr](?:-|\s|$)|space-x-)/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.name.endsWith(".tsx") ? [full] : [];
  });
}

function hasWords(text: string) {
  return /\p{L}/u.test(text) && !ALLOWED_TEXT.has(text.trim());
}

function findProblems(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const problems: string[] = [];
  const where = (node: ts.Node) => `${path.relative(process.cwd(), file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasWords(node.getText())) {
      problems.push(`${where(node)} text outside the translation layer: "${node.getText().trim()}"`);
    }
    if (ts.isJsxAttribute(node) && node.initializer) {
      const name = node.name.getText();
      const init = node.initializer;
      const literal = ts.isStringLiteral(init)
        ? init
        : ts.isJsxExpression(init) && init.expression && ts.isStringLiteral(init.expression)
          ? init.expression
          : null;
      if (literal && USER_FACING_PROPS.has(name) && hasWords(literal.text)) {
        problems.push(`${where(node)} ${name}="${literal.text}" outside the translation layer`);
      }
      if (literal && name === "className" && PHYSICAL_CLASS.test(literal.text)) {
        problems.push(`${where(node)} physical left/right class in "${literal.text}": use start/end (ms-, pe-, start-, text-start…)`);
      }
    }
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (PHYSICAL_CLASS.test(node.text) && /className|class/.test(node.parent?.parent?.getText().slice(0, 40) ?? "")) {
        problems.push(`${where(node)} physical left/right class in a className template`);
      }
    }
    if (ts.isPropertyAssignment(node) && node.name.getText() === "title" && ts.isStringLiteral(node.initializer) && hasWords(node.initializer.text)) {
      problems.push(`${where(node)} literal page title "${node.initializer.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

describe("UI strings", () => {
  it("are all written through the translation layer, with right-to-left-safe classes", () => {
    const problems = files(ROOT).flatMap(findProblems);
    expect(problems).toEqual([]);
  });

  it("the check itself catches a hard-coded string, a literal label and a physical class", () => {
    const probe = path.join(process.cwd(), "tests", ".tmp", "probe.tsx");
    fs.mkdirSync(path.dirname(probe), { recursive: true });
    fs.writeFileSync(
      probe,
      `export const meta = () => [{ title: "Events" }];\nexport function P() { return <div className="ml-2"><TextField label="Name" /><p>Hello world</p></div>; }\n`,
    );
    const found = findProblems(probe);
    fs.rmSync(probe);
    expect(found.some((p) => p.includes("Hello world"))).toBe(true);
    expect(found.some((p) => p.includes('label="Name"'))).toBe(true);
    expect(found.some((p) => p.includes("physical"))).toBe(true);
    expect(found.some((p) => p.includes("literal page title"))).toBe(true);
  });
});
