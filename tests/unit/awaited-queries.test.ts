import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Every query and every model call is asynchronous. A call whose promise is dropped runs after
 * (or without) the code that depends on it: a write outside its transaction, a check that always
 * passes (`if (mayEdit(…))` on a promise), an error nobody sees. The TypeScript compiler finds them:
 * - a call of the project's own code returning a promise, used as a statement without `await`
 *   (`void` says the promise is dropped on purpose), or as a condition;
 * - a drizzle query built as a statement without `await` (it never runs);
 * - such a promise given where any value is taken (`String(p)`, `expect(p).toBe(…)`);
 * - an async function given to an array method that does not wait for it (forEach, filter, …), or
 *   to one of our functions whose parameter says its result is ignored (`() => void`).
 */
const root = path.resolve(__dirname, "../..");
const FOLDERS = ["app", "db", "server", "bench", "tests"].map((f) => path.join(root, f) + path.sep);
const NOT_WAITING = new Set(["forEach", "filter", "some", "every", "find", "findIndex", "findLast", "findLastIndex", "reduce", "sort", "flatMap"]);

function isPromise(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(isPromise);
  return type.getSymbol()?.getName() === "Promise";
}

function isQueryBuilder(type: ts.Type) {
  return !!type.getProperty("then") && !!type.getProperty("getSQL") && !!type.getProperty("prepare");
}

function findDroppedPromises() {
  const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  const own = (call: ts.CallExpression) => {
    const file = checker.getResolvedSignature(call)?.getDeclaration()?.getSourceFile().fileName;
    return !!file && !file.includes("node_modules");
  };
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !FOLDERS.some((f) => sf.fileName.startsWith(f))) continue;
    const report = (node: ts.Node, what: string) => {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      problems.push(`${path.relative(root, sf.fileName)}:${line + 1} ${what}: ${node.getText(sf).slice(0, 80).replace(/\s+/g, " ")}`);
    };
    const visit = (node: ts.Node) => {
      if (ts.isExpressionStatement(node)) {
        const expression = node.expression;
        const type = checker.getTypeAtLocation(expression);
        if (ts.isCallExpression(expression) && isPromise(type) && own(expression)) report(node, "promise dropped");
        else if (isQueryBuilder(type)) report(node, "query built but never run");
      }
      let condition: ts.Expression | undefined;
      if (ts.isIfStatement(node) || ts.isWhileStatement(node)) condition = node.expression;
      else if (ts.isConditionalExpression(node)) condition = node.condition;
      else if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) condition = node.operand;
      if (condition && ts.isCallExpression(condition) && isPromise(checker.getTypeAtLocation(condition)) && own(condition)) report(condition, "promise used as a condition");
      if (ts.isBinaryExpression(node) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken].includes(node.operatorToken.kind)) {
        const left = node.left;
        if (ts.isCallExpression(left) && isPromise(checker.getTypeAtLocation(left)) && own(left)) report(left, "promise used as a condition");
      }
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && NOT_WAITING.has(node.expression.name.text)) {
        for (const argument of node.arguments) {
          if ((ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) && ts.getModifiers(argument)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
            report(argument, `async callback given to .${node.expression.name.text}()`);
          }
        }
      }
      // a promise handed to a parameter that takes anything (`String(p)`, `JSON.stringify(p)`, `expect(p).toBe`)
      if (ts.isCallExpression(node) && ts.isCallExpression(node.parent) && node.parent.arguments.includes(node) && isPromise(checker.getTypeAtLocation(node)) && own(node)) {
        const outer = node.parent;
        const chain = outer.parent;
        const expectsPromise = ts.isIdentifier(outer.expression) && outer.expression.text === "expect" && ts.isPropertyAccessExpression(chain) && ["rejects", "resolves"].includes(chain.name.text);
        const parameter = checker.getResolvedSignature(outer)?.getParameters()[outer.arguments.indexOf(node)];
        const expected = parameter && checker.getTypeOfSymbolAtLocation(parameter, outer);
        if (!expectsPromise && expected && expected.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) report(node, "promise given where any value is taken");
        if (ts.isIdentifier(outer.expression) && outer.expression.text === "expect" && !expectsPromise) report(node, "promise given to expect()");
        // a matcher's argument: `expect(x).toBe(call())`
        let root: ts.Expression = outer.expression;
        while (ts.isPropertyAccessExpression(root) || ts.isCallExpression(root)) root = root.expression;
        if (ts.isIdentifier(root) && root.text === "expect" && outer.expression !== root) report(node, "promise given to a matcher");
      }
      // our own function taking a callback whose result it ignores (`() => void`), given an async one
      if (ts.isCallExpression(node) && own(node)) {
        const signature = checker.getResolvedSignature(node);
        const parameters = signature?.getParameters() ?? [];
        node.arguments.forEach((argument, i) => {
          if (!(ts.isArrowFunction(argument) || ts.isFunctionExpression(argument)) || parameters.length === 0) return;
          const returnsPromise = checker.getTypeAtLocation(argument).getCallSignatures().some((s) => isPromise(s.getReturnType()));
          if (!returnsPromise) return;
          const parameter = parameters[Math.min(i, parameters.length - 1)];
          const expected = checker.getTypeOfSymbolAtLocation(parameter, node).getNonNullableType().getCallSignatures();
          if (expected.length > 0 && expected.every((s) => s.getReturnType().flags & ts.TypeFlags.Void)) report(argument, "async function given where nothing waits for it");
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return problems;
}

describe("asynchronous queries", () => {
  it("no promise of a query or a model call is dropped, used as a condition or given to a method that does not wait", () => {
    expect(findDroppedPromises()).toEqual([]);
  }, 300_000);
});
