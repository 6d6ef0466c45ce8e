import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * Which translation namespaces a module's code can show: every string that starts like a key of a
 * known namespace ("roster.title", `eventStatus.${status}`), in the module and in every app module it
 * imports (components, helpers, and the server modules whose messages a page translates), followed
 * to the end. What a static look can see; keys put together from variables it cannot.
 */
const APP = path.resolve("app");
const KEY = /^([A-Za-z][A-Za-z0-9]*)\.(?:[A-Za-z]|$)/;

const parsed = new Map<string, { literals: string[]; imports: string[] }>();

function resolveImport(from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("~/")) base = path.join(APP, specifier.slice(2));
  else if (specifier.startsWith("./") || specifier.startsWith("../")) base = path.resolve(path.dirname(from), specifier);
  else return null; // a package, or db/ and emails/ (they translate with a `t` handed to them)
  if (!base.startsWith(APP + path.sep) || base.startsWith(path.join(APP, "locales") + path.sep)) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile() && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null;
}

function parse(file: string) {
  let result = parsed.get(file);
  if (result) return result;
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const literals: string[] = [];
  const imports: string[] = [];
  // a server module's own `t("…")` (an email, a PDF) is translated on the server: only the keys it
  // hands on (an error message a page shows) reach a browser
  const serverOnly = /\.server\.tsx?$/.test(file);
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly : node.isTypeOnly;
      if (!typeOnly) imports.push(node.moduleSpecifier.text);
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      imports.push(node.arguments[0].text);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      if (!(serverOnly && translatedHere(node))) literals.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  result = { literals, imports: imports.map((s) => resolveImport(file, s)).filter((f): f is string => f !== null) };
  parsed.set(file, result);
  return result;
}

/** Whether a literal is the key of a `t(…)` call: `t("a.b")`, `t(\`a.${x}\`)`. */
function translatedHere(node: ts.Node): boolean {
  const key = ts.isTemplateHead(node) ? node.parent : node;
  const call = key.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== key) return false;
  const callee = call.expression;
  return (ts.isIdentifier(callee) && callee.text === "t") || (ts.isPropertyAccessExpression(callee) && callee.name.text === "t");
}

/** The namespaces `file` and the app modules it imports (to the end) use, sorted. */
export function namespacesUsedBy(file: string, known: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  const used = new Set<string>();
  const queue = [path.resolve(file)];
  while (queue.length) {
    const current = queue.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const { literals, imports } = parse(current);
    for (const text of literals) {
      const ns = KEY.exec(text)?.[1];
      if (ns && known.has(ns)) used.add(ns);
    }
    queue.push(...imports);
  }
  return [...used].sort();
}

/**
 * The namespaces a route module declares: `export const handle = { i18n: ["a", "b"] }` (string
 * literals, so that this check can read them), or null without such a handle.
 */
export function declaredNamespaces(file: string): string[] | null {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (declaration.name.getText() !== "handle" || !declaration.initializer || !ts.isObjectLiteralExpression(declaration.initializer)) continue;
      for (const property of declaration.initializer.properties) {
        if (!ts.isPropertyAssignment(property) || property.name.getText() !== "i18n") continue;
        let list = property.initializer;
        while (ts.isAsExpression(list) || ts.isSatisfiesExpression(list)) list = list.expression;
        if (!ts.isArrayLiteralExpression(list)) return null;
        return list.elements.map((e) => (ts.isStringLiteral(e) ? e.text : `<not a string: ${e.getText()}>`));
      }
    }
  }
  return null;
}

/** Route modules with a page (a default export): the ones whose texts a browser needs. */
export function pageRouteFiles(): string[] {
  const dir = path.join(APP, "routes");
  return fs
    .readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => path.join(dir, f))
    .filter((f) => /^export default /m.test(fs.readFileSync(f, "utf8")));
}

/**
 * The route modules a route renders inside (nearest first), by Remix's flat-routes naming: the
 * longest other route id followed by a dot that starts this one (`events.$eventId` for
 * `events.$eventId.roster`; `events_.$eventId.register` has none).
 */
export function parentRouteFiles(file: string): string[] {
  const dir = path.dirname(file);
  const id = (f: string) => path.basename(f).replace(/\.tsx?$/, "");
  const all = fs
    .readdirSync(dir)
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
  const parents: string[] = [];
  let current = id(file);
  for (;;) {
    const parent = all
      .filter((f) => current.startsWith(`${id(f)}.`))
      .sort((a, b) => id(b).length - id(a).length)[0];
    if (!parent) return parents;
    parents.push(parent);
    current = id(parent);
  }
}
