import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PING_TYPE } from "../../app/lib/webhooks";

/**
 * Which translation namespaces a page can show: every string that starts like a key of a known
 * namespace ("roster.title", `eventStatus.${status}`) in the code its route can run — the route
 * module whole (its component, loader, action, meta), and of each app module it imports only the
 * top-level declarations that code names (a function, a component, a class, a constant), followed
 * through the names those use in turn, to the end. A model's audit actions or the errors of a
 * function the page never calls do not count; what a static look can see, keys put together from
 * variables it cannot.
 *
 * In a server module (`*.server.ts`), a key given to its own `t(…)` (an email, a PDF, a CSV) is
 * translated on the server and does not count; every other key there does, since it may be handed
 * on to the page (a FieldError's message key, an `error` returned by a model).
 */
const APP = path.resolve("app");
const KEY = /^([A-Za-z][A-Za-z0-9]*)\.(?:[A-Za-z]|$)/;
const NOT_KEYS: ReadonlySet<string> = new Set([...WEBHOOK_EVENT_TYPES, WEBHOOK_PING_TYPE]);

/** A top-level statement: the key-like strings in it and the names it uses. */
type Statement = { literals: string[]; names: Set<string> };
type Binding = { file: string; name: string } | { file: string; whole: true };
type Module = {
  statements: Statement[];
  /** top-level names declared here → the statements declaring them */
  declared: Map<string, number[]>;
  /** statements that run when the module is loaded (not declarations) */
  effects: number[];
  /** local name → what an import or re-export binds it to */
  bindings: Map<string, Binding>;
  /** the names `export { … } from "…"` passes on */
  reexports: string[];
  /** `export * from "…"` */
  starExports: string[];
  /** modules imported whole (side-effect imports, `import("…")`) */
  wholeImports: string[];
};

const modules = new Map<string, Module>();

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

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    const names: string[] = [];
    const collect = (name: ts.BindingName) => {
      if (ts.isIdentifier(name)) names.push(name.text);
      else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
    };
    for (const declaration of statement.declarationList.declarations) collect(declaration.name);
    return names;
  }
  if (
    (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) &&
    statement.name &&
    ts.isIdentifier(statement.name)
  ) {
    const isDefault = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    return isDefault ? [statement.name.text, "default"] : [statement.name.text];
  }
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return ["default"];
  if (ts.isExportAssignment(statement)) return ["default"];
  return [];
}

function parse(file: string): Module {
  let result = modules.get(file);
  if (result) return result;
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const serverOnly = /\.server\.tsx?$/.test(file);
  result = { statements: [], declared: new Map(), effects: [], bindings: new Map(), reexports: [], starExports: [], wholeImports: [] };
  const module = result;
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const target = resolveImport(file, statement.moduleSpecifier.text);
      const clause = statement.importClause;
      if (!target || clause?.isTypeOnly) continue;
      if (!clause) module.wholeImports.push(target);
      else {
        if (clause.name) module.bindings.set(clause.name.text, { file: target, name: "default" });
        const named = clause.namedBindings;
        if (named && ts.isNamespaceImport(named)) module.bindings.set(named.name.text, { file: target, whole: true });
        else if (named) for (const element of named.elements) if (!element.isTypeOnly) module.bindings.set(element.name.text, { file: target, name: (element.propertyName ?? element.name).text });
      }
      continue;
    }
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const target = resolveImport(file, statement.moduleSpecifier.text);
      if (!target || statement.isTypeOnly) continue;
      const clause = statement.exportClause;
      if (!clause) module.starExports.push(target);
      else if (ts.isNamespaceExport(clause)) {
        module.bindings.set(clause.name.text, { file: target, whole: true });
        module.reexports.push(clause.name.text);
      } else {
        for (const element of clause.elements) {
          if (element.isTypeOnly) continue;
          module.bindings.set(element.name.text, { file: target, name: (element.propertyName ?? element.name).text });
          module.reexports.push(element.name.text);
        }
      }
      continue;
    }
    const index = module.statements.length;
    const literals: string[] = [];
    const names = new Set<string>();
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        const target = resolveImport(file, node.arguments[0].text);
        if (target) module.wholeImports.push(target);
      } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
        if (!(serverOnly && translatedHere(node))) literals.push(node.text);
      } else if (ts.isIdentifier(node) && !isMemberName(node)) {
        names.add(node.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(statement);
    module.statements.push({ literals, names });
    const declares = declaredNames(statement);
    for (const name of declares) module.declared.set(name, [...(module.declared.get(name) ?? []), index]);
    // `export { a as b }` names local declarations: record the exported name too
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) if (element.propertyName) module.declared.set(element.name.text, [index]);
    }
    if (declares.length === 0 && !ts.isExportDeclaration(statement)) module.effects.push(index);
  }
  modules.set(file, result);
  return result;
}

/** `x.name`, `{ name: … }`: a member's name, not a reference to a declaration of that name. */
function isMemberName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || (ts.isQualifiedName(parent) && parent.right === node);
}

/** Whether a literal is the key of a `t(…)` call: `t("a.b")`, `t(\`a.${x}\`)`. */
function translatedHere(node: ts.Node): boolean {
  const key = ts.isTemplateHead(node) ? node.parent : node;
  const call = key.parent;
  if (!call || !ts.isCallExpression(call) || call.arguments[0] !== key) return false;
  const callee = call.expression;
  return (ts.isIdentifier(callee) && callee.text === "t") || (ts.isPropertyAccessExpression(callee) && callee.name.text === "t");
}

/** The code `file` can run (see above): the modules it enters and the key-like strings it holds. */
export function codeReachedBy(file: string): { files: string[]; literals: string[] } {
  const literals: string[] = [];
  const done = new Set<string>();
  const queue: { file: string; index: number }[] = [];
  const loaded = new Set<string>();
  const load = (target: string) => {
    if (loaded.has(target)) return;
    loaded.add(target);
    const module = parse(target);
    for (const index of module.effects) queue.push({ file: target, index });
    for (const whole of module.wholeImports) addWhole(whole);
  };
  const addWhole = (target: string) => {
    load(target);
    parse(target).statements.forEach((_, index) => queue.push({ file: target, index }));
    for (const star of parse(target).starExports) addWhole(star);
    for (const name of parse(target).reexports) addName(target, name, new Set());
  };
  // a name as `target` exports or declares it: its declarations, or what it imports or re-exports
  const addName = (target: string, name: string, visiting: Set<string>) => {
    const key = `${target}\0${name}`;
    if (visiting.has(key)) return;
    visiting.add(key);
    load(target);
    const module = parse(target);
    const declared = module.declared.get(name);
    if (declared) for (const index of declared) queue.push({ file: target, index });
    const binding = module.bindings.get(name);
    if (binding) {
      if ("whole" in binding) addWhole(binding.file);
      else addName(binding.file, binding.name, visiting);
    }
    if (!declared && !binding) for (const star of module.starExports) addName(star, name, visiting);
  };
  addWhole(path.resolve(file));
  while (queue.length) {
    const { file: current, index } = queue.pop()!;
    const id = `${current}\0${index}`;
    if (done.has(id)) continue;
    done.add(id);
    const statement = parse(current).statements[index];
    literals.push(...statement.literals);
    for (const name of statement.names) addName(current, name, new Set());
  }
  return { files: [...loaded].sort(), literals };
}

/** The namespaces of the keys the code `file` can run uses (see above), sorted. */
export function namespacesUsedBy(file: string, known: ReadonlySet<string>): string[] {
  const used = new Set<string>();
  for (const text of codeReachedBy(file).literals) {
    // webhook event types ("registration.created") are names of an outside contract, not texts
    if (NOT_KEYS.has(text)) continue;
    const ns = KEY.exec(text)?.[1];
    if (ns && known.has(ns)) used.add(ns);
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
