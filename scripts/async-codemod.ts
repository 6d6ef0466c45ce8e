/**
 * Converts code written against drizzle's synchronous better-sqlite3 API to the asynchronous,
 * dialect-neutral one (re-runnable: code already converted is left as it is).
 *
 *   npx tsx scripts/async-codemod.ts [files or folders…]   (default: app db bench server tests)
 *
 * 1. query builders: `q.all()` → `await q`, `q.get()` → `firstRow(await q.limit(1))` (a select) or
 *    `(await q)[0]` (… returning()), `q.run()` →
 *    `await q`, `q.run().changes` → `changedRows(await q)`;
 * 2. raw SQL on a database or transaction: `db.all<T>(sql…)` → `await queryAll<T>(db, sql…)`,
 *    `db.get` → `queryOne`, `db.run` → `execute`;
 * 3. transaction bodies become `async`; `ReturnType<typeof f>` of an async f becomes
 *    `Awaited<ReturnType<typeof f>>`;
 * 4. then, until nothing changes: every call of a project function that returns a Promise is
 *    awaited, and the function containing it made async (its return type wrapped in Promise<…>);
 *    `xs.map(f)` whose callback became async is wrapped in `await Promise.all(…)`; and
 *    `expect(() => call).toThrow(…)` becomes `await expect(call…).rejects.toThrow(…)`.
 * What it cannot convert safely (an async callback given to filter/some/find/forEach/reduce/sort,
 * a getter, a constructor, module top level) it lists for a hand edit.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const root = process.cwd();
const targets = (process.argv.slice(2).length ? process.argv.slice(2) : ["app", "db", "bench", "server", "tests"]).map((t) => path.resolve(t));
const inTargets = (file: string) => targets.some((t) => file === t || file.startsWith(t + path.sep));
const excluded = (file: string) => file.includes(`${path.sep}node_modules${path.sep}`) || file.endsWith("scripts/async-codemod.ts");

type Edit = { start: number; end: number; text: string };
const warnings = new Set<string>();

function loadProgram(old?: ts.Program) {
  const configPath = path.join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, oldProgram: old });
}

function where(sf: ts.SourceFile, node: ts.Node) {
  const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return `${path.relative(root, sf.fileName)}:${line + 1}`;
}

function isDrizzleBuilder(checker: ts.TypeChecker, node: ts.Expression) {
  const type = checker.getTypeAtLocation(node);
  return !!type.getProperty("prepare") && !!type.getProperty("then") && !!type.getProperty("getSQL");
}

function isDatabaseHandle(checker: ts.TypeChecker, node: ts.Expression) {
  const type = checker.getTypeAtLocation(node);
  return !!type.getProperty("select") && !!type.getProperty("insert") && !!type.getProperty("transaction");
}

function isPromise(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some((t) => isPromise(checker, t));
  const symbol = type.getSymbol();
  return symbol?.getName() === "Promise";
}

/** Does the callee of this call live in the project (not a library)? */
function calleeInProject(checker: ts.TypeChecker, call: ts.CallExpression) {
  const signature = checker.getResolvedSignature(call);
  const decl = signature?.getDeclaration();
  if (!decl) return false;
  const file = decl.getSourceFile().fileName;
  if (file.includes("node_modules")) return false;
  return true;
}

function needsParens(node: ts.Node) {
  const p = node.parent;
  return !(
    ts.isVariableDeclaration(p) ||
    ts.isReturnStatement(p) ||
    ts.isExpressionStatement(p) ||
    (ts.isArrowFunction(p) && p.body === node) ||
    (ts.isCallExpression(p) && p.arguments.includes(node as ts.Expression)) ||
    ts.isArrayLiteralExpression(p) ||
    ts.isPropertyAssignment(p) ||
    ts.isParenthesizedExpression(p) ||
    ts.isSpreadElement(p) ||
    (ts.isBinaryExpression(p) && p.right === node && p.operatorToken.kind === ts.SyntaxKind.EqualsToken)
  );
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  let n: ts.Node | undefined = node.parent;
  while (n) {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n) || ts.isConstructorDeclaration(n)) return n;
    n = n.parent;
  }
  return undefined;
}

const isAsync = (fn: ts.FunctionLikeDeclaration) => !!ts.getModifiers(fn as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);

const UNSAFE_CALLBACK_METHODS = new Set(["filter", "some", "every", "find", "findIndex", "findLast", "reduce", "sort", "forEach", "flatMap"]);

/** Edits that make `fn` async (and wrap `xs.map(fn)` in Promise.all); false when it must be done by hand. */
function makeAsync(sf: ts.SourceFile, fn: ts.FunctionLikeDeclaration, edits: Edit[], made: Set<ts.Node>): boolean {
  if (isAsync(fn) || made.has(fn)) return true;
  if (ts.isGetAccessor(fn) || ts.isSetAccessor(fn) || ts.isConstructorDeclaration(fn) || fn.asteriskToken) {
    warnings.add(`${where(sf, fn)}: awaits inside a getter, setter, constructor or generator`);
    return false;
  }
  const parent = fn.parent;
  // a callback of an array method that would not wait for it
  if (ts.isCallExpression(parent) && parent.arguments.includes(fn as ts.Expression) && ts.isPropertyAccessExpression(parent.expression)) {
    const method = parent.expression.name.text;
    if (UNSAFE_CALLBACK_METHODS.has(method)) {
      warnings.add(`${where(sf, fn)}: async callback for .${method}(): convert by hand (a for…of loop)`);
      return false;
    }
    if (method === "map") {
      const call = parent;
      if (!(ts.isCallExpression(call.parent) && ts.isPropertyAccessExpression(call.parent.expression) && call.parent.expression.getText(sf) === "Promise.all")) {
        edits.push({ start: call.getStart(sf), end: call.getStart(sf), text: "await Promise.all(" });
        edits.push({ start: call.getEnd(), end: call.getEnd(), text: ")" });
        const outer = enclosingFunction(call);
        if (outer) makeAsync(sf, outer, edits, made);
        else warnings.add(`${where(sf, call)}: await at module top level`);
      }
    }
  }
  // expect(() => call).toThrow(…) → await expect((async () => call)()).rejects.toThrow(…)
  if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === "expect" && parent.arguments[0] === fn) {
    const access = parent.parent;
    if (ts.isPropertyAccessExpression(access) && /^toThrow/.test(access.name.text)) {
      edits.push({ start: parent.getStart(sf), end: parent.getStart(sf), text: "await " });
      edits.push({ start: fn.getStart(sf), end: fn.getStart(sf), text: "(async " });
      edits.push({ start: fn.getEnd(), end: fn.getEnd(), text: ")()" });
      edits.push({ start: access.name.getStart(sf), end: access.name.getStart(sf), text: "rejects." });
      made.add(fn);
      const outer = enclosingFunction(parent);
      if (outer) makeAsync(sf, outer, edits, made);
      return true;
    }
    warnings.add(`${where(sf, fn)}: async function given to expect(): convert by hand`);
    return false;
  }
  made.add(fn);
  let at: number;
  if (ts.isArrowFunction(fn)) at = fn.getStart(sf);
  else if (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) {
    const keyword = fn.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.FunctionKeyword)!;
    at = keyword.getStart(sf);
  } else at = (fn as ts.MethodDeclaration).name.getStart(sf);
  edits.push({ start: at, end: at, text: "async " });
  if (fn.type && !/^Promise</.test(fn.type.getText(sf))) {
    edits.push({ start: fn.type.getStart(sf), end: fn.type.getEnd(), text: `Promise<${fn.type.getText(sf)}>` });
  }
  return true;
}

/** Make sure `names` are imported from db/client in this file. */
function importEdits(sf: ts.SourceFile, names: Set<string>): Edit[] {
  if (names.size === 0) return [];
  const clientFile = path.join(root, "db/client.ts");
  if (path.resolve(sf.fileName) === clientFile) return [];
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const spec = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!/(^|\/)db\/client$|^@db\/client$|^\.\/client$/.test(spec)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings) || statement.importClause?.isTypeOnly) continue;
    const have = new Set(bindings.elements.map((e) => e.name.text));
    const missing = [...names].filter((n) => !have.has(n));
    if (missing.length === 0) return [];
    const last = bindings.elements[bindings.elements.length - 1];
    return [{ start: last.getEnd(), end: last.getEnd(), text: `, ${missing.join(", ")}` }];
  }
  let rel = path.relative(path.dirname(sf.fileName), clientFile).replace(/\.ts$/, "");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  const firstImport = sf.statements.find(ts.isImportDeclaration);
  const at = firstImport ? firstImport.getStart(sf) : 0;
  return [{ start: at, end: at, text: `import { ${[...names].join(", ")} } from "${rel}";\n` }];
}

function applyEdits(file: string, text: string, edits: Edit[]) {
  // insertions at one point keep their order; replacements must not overlap
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) continue; // overlaps one already applied: the next round takes it
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    if (e.end > e.start) limit = e.start;
  }
  if (out !== text) fs.writeFileSync(file, out);
  return out !== text;
}

/** Steps 1–3: builders, raw SQL and transaction bodies. */
function convertQueries(program: ts.Program) {
  const checker = program.getTypeChecker();
  let changed = 0;
  for (const sf of program.getSourceFiles()) {
    if (!inTargets(sf.fileName) || excluded(sf.fileName) || sf.isDeclarationFile) continue;
    const edits: Edit[] = [];
    const imports = new Set<string>();
    const made = new Set<ts.Node>();
    let claimedUntil = -1;
    const visit = (node: ts.Node) => {
      // ReturnType<typeof f> of a function that became async → Awaited<ReturnType<typeof f>>
      if (ts.isTypeReferenceNode(node) && node.typeName.getText(sf) === "ReturnType" && node.typeArguments?.length === 1 && ts.isTypeQueryNode(node.typeArguments[0])) {
        const inAwaited = ts.isTypeReferenceNode(node.parent) && node.parent.typeName.getText(sf) === "Awaited";
        const fnType = checker.getTypeAtLocation(node.typeArguments[0]);
        const returns = fnType.getCallSignatures().map((sig) => sig.getReturnType());
        if (!inAwaited && returns.length > 0 && returns.every((t) => isPromise(checker, t))) {
          edits.push({ start: node.getStart(sf), end: node.getStart(sf), text: "Awaited<" });
          edits.push({ start: node.getEnd(), end: node.getEnd(), text: ">" });
        }
        return;
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.getStart(sf) >= claimedUntil) {
        const method = node.expression.name.text;
        const target = node.expression.expression;
        if (node.arguments.length === 0 && ["all", "get", "run"].includes(method) && isDrizzleBuilder(checker, target)) {
          const q = target.getText(sf);
          let replaced: ts.Node = node;
          let text: string;
          if (method === "get") {
            if (checker.getTypeAtLocation(target).getProperty("limit")) {
              text = `firstRow(await ${q}.limit(1))`;
              imports.add("firstRow");
            } else {
              // insert/update/delete … returning(): the row is there (as `.get()` typed it)
              text = `(await ${q})[0]`;
            }
          } else if (method === "run" && ts.isPropertyAccessExpression(node.parent) && node.parent.name.text === "changes") {
            replaced = node.parent;
            text = `changedRows(await ${q})`;
            imports.add("changedRows");
          } else {
            text = `await ${q}`;
            if (needsParens(replaced)) text = `(${text})`;
          }
          edits.push({ start: replaced.getStart(sf), end: replaced.getEnd(), text });
          claimedUntil = replaced.getEnd();
          const fn = enclosingFunction(node);
          if (fn) makeAsync(sf, fn, edits, made);
          else warnings.add(`${where(sf, node)}: await at module top level`);
          return;
        }
        if (node.arguments.length === 1 && ["all", "get", "run"].includes(method) && isDatabaseHandle(checker, target)) {
          const helper = { all: "queryAll", get: "queryOne", run: "execute" }[method]!;
          imports.add(helper);
          const typeArgs = node.typeArguments ? `<${node.typeArguments.map((t) => t.getText(sf)).join(", ")}>` : "";
          let text = `await ${helper}${typeArgs}(${target.getText(sf)}, ${node.arguments[0].getText(sf)})`;
          if (needsParens(node)) text = `(${text})`;
          edits.push({ start: node.getStart(sf), end: node.getEnd(), text });
          claimedUntil = node.getEnd();
          const fn = enclosingFunction(node);
          if (fn) makeAsync(sf, fn, edits, made);
          else warnings.add(`${where(sf, node)}: await at module top level`);
          return;
        }
        if (method === "transaction" && isDatabaseHandle(checker, target)) {
          const body = node.arguments[0];
          if (body && (ts.isArrowFunction(body) || ts.isFunctionExpression(body))) makeAsync(sf, body, edits, made);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (edits.length) {
      edits.push(...importEdits(sf, imports));
      if (applyEdits(sf.fileName, sf.text, edits)) changed++;
    }
  }
  return changed;
}

/** Step 4: await every project call that returns a Promise. */
function awaitPromises(program: ts.Program) {
  const checker = program.getTypeChecker();
  let changed = 0;
  for (const sf of program.getSourceFiles()) {
    if (!inTargets(sf.fileName) || excluded(sf.fileName) || sf.isDeclarationFile) continue;
    const edits: Edit[] = [];
    const made = new Set<ts.Node>();
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && !ts.isAwaitExpression(node.parent) && !ts.isVoidExpression(node.parent)) {
        const type = checker.getTypeAtLocation(node);
        if (isPromise(checker, type) && (calleeInProject(checker, node) || isTransactionCall(checker, node)) && !skip(node)) {
          const fn = enclosingFunction(node);
          if (!fn) warnings.add(`${where(sf, node)}: promise at module top level`);
          else if (makeAsync(sf, fn, edits, made)) {
            edits.push({ start: node.getStart(sf), end: node.getStart(sf), text: needsParens(node) ? "(await " : "await " });
            if (needsParens(node)) edits.push({ start: node.getEnd(), end: node.getEnd(), text: ")" });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    if (edits.length && applyEdits(sf.fileName, sf.text, edits)) changed++;
  }
  return changed;

  function isTransactionCall(checker: ts.TypeChecker, call: ts.CallExpression) {
    return ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === "transaction" && isDatabaseHandle(checker, call.expression.expression);
  }
  function skip(call: ts.CallExpression) {
    const p = call.parent;
    if (ts.isPropertyAccessExpression(p) && ["then", "catch", "finally"].includes(p.name.text)) return true;
    // handed on as a promise: Promise.all([...]), expect(p).rejects/resolves, a promise-typed parameter
    if (ts.isArrayLiteralExpression(p) && ts.isCallExpression(p.parent) && /^Promise\.(all|allSettled|race|any)$/.test(p.parent.expression.getText())) return true;
    if (ts.isCallExpression(p) && p.arguments.includes(call)) {
      // an argument of a matcher, `expect(x).toBe(call())`: the value is meant
      let root: ts.Expression = p.expression;
      while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = ts.isPropertyAccessExpression(root) ? root.expression : root.expression;
      if (ts.isIdentifier(root) && root.text === "expect" && p.expression !== root) return false;
      if (ts.isIdentifier(p.expression) && p.expression.text === "expect") {
        const chain = p.parent;
        if (ts.isPropertyAccessExpression(chain) && ["rejects", "resolves"].includes(chain.name.text)) return true;
        return false; // expect(value): the value, not its promise
      }
      const signature = checker.getResolvedSignature(p);
      const index = p.arguments.indexOf(call);
      const param = signature?.getParameters()[index];
      if (param) {
        const paramType = checker.getTypeOfSymbolAtLocation(param, p);
        // (a promise given to `String(x)`, `JSON.stringify(x)` or `expect(x)` is a bug: awaited)
        if (isPromise(checker, paramType)) return true;
      }
    }
    // returned from a function that is not async on purpose (it returns the promise itself)
    if (ts.isReturnStatement(p)) {
      const fn = enclosingFunction(call);
      if (fn && !isAsync(fn) && fn.type && /^Promise</.test(fn.type.getText())) return true;
    }
    // assigned to something that holds the promise itself (`cached ??= hashPassword(…)`)
    if (ts.isBinaryExpression(p) && p.right === call && isPromise(checker, checker.getTypeAtLocation(p.left))) return true;
    // kept in a variable or field whose type says Promise
    if (ts.isVariableDeclaration(p) && p.type && /Promise</.test(p.type.getText())) return true;
    return false;
  }
}

let program = loadProgram();
let rounds = 0;
let changed = convertQueries(program);
console.log(`queries: ${changed} files changed`);
for (;;) {
  program = loadProgram(program);
  changed = awaitPromises(program);
  rounds++;
  console.log(`await round ${rounds}: ${changed} files changed`);
  if (changed === 0 || rounds > 30) break;
  if (rounds % 3 === 0) {
    program = loadProgram(program);
    const more = convertQueries(program);
    if (more) console.log(`queries: ${more} files changed`);
  }
}
for (const w of [...warnings].sort()) console.log(`by hand: ${w}`);
