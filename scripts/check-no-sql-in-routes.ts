// Fails when an API route module (api/src/<domain>/routes.ts or *-routes.ts) holds SQL: a string or
// template literal that reads like a statement, an `sql` tagged template, or a `.query(` call.
// Routes parse, authorise and respond; SQL lives in the domain's queries module.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..');
const API = join(ROOT, 'api', 'src');
const STATEMENT =
  /\b(SELECT\b[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS\s*\(|SELECT\s+(1|pg_\w+)\b)/;

export function isRouteModule(file: string): boolean {
  return /(^|[/\\])(routes|[\w-]+-routes)\.ts$/.test(file) && !file.endsWith('.test.ts');
}

/** The SQL findings of one source text, as `line: what`. */
export function findSql(fileName: string, text: string): string[] {
  const src = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (n: ts.Node) => src.getLineAndCharacterOfPosition(n.getStart(src)).line + 1;
  const visit = (n: ts.Node) => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
      if (STATEMENT.test(n.text)) found.push(`${at(n)}: SQL string ${JSON.stringify(n.text.slice(0, 60))}`);
    } else if (ts.isTemplateExpression(n)) {
      const text = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' $ ');
      if (STATEMENT.test(text)) found.push(`${at(n)}: SQL template ${JSON.stringify(text.slice(0, 60))}`);
    } else if (ts.isTaggedTemplateExpression(n) && /\bsql$/i.test(n.tag.getText(src))) {
      found.push(`${at(n)}: sql tagged template`);
    } else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.name.text === 'query' &&
      // Hono's `c.req.query()` reads the query string; any other `.query(` runs SQL.
      !/(^|\.)req$/.test(n.expression.expression.getText(src))
    ) {
      found.push(`${at(n)}: .query( call`);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const files = walk(API).filter(isRouteModule);
  const problems = files.flatMap((f) =>
    findSql(f, readFileSync(f, 'utf8')).map((p) => `${relative(ROOT, f)}:${p}`),
  );
  if (problems.length) {
    console.error(
      `SQL in route modules (move it to the domain's queries module):\n  ${problems.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(`no SQL in ${files.length} route modules`);
}
