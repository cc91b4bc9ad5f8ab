// Databases: SQL that drops or empties data (psql -c, mysql -e, sqlite3 args, heredocs) and framework commands that drop a database.
import type { Invocation, RuleContext, RuleModule } from './rule-context.js';
import { hasLong } from './flags.js';
import { stdinCode } from './stdin-content.js';
import type { Arg } from './resolve-word.js';

const DESTRUCTIVE_SQL =
  /\b(?:drop\s+(?:table|database|schema|view|materialized\s+view|index|user|role|collection|keyspace|owned)\b|truncate\s+(?:table\s+)?[\w."`[]|delete\s+from\s+[\w."`[\]]+\s*(?:;|$)|alter\s+table\s+[\w."`[\]]+\s+drop\b)|\bflush(?:all|db)\b|\.dropDatabase\s*\(|\.drop\s*\(\s*\)|\.(?:deleteMany|remove)\s*\(\s*\{\s*\}\s*\)/im;

export function destructiveSql(text: string): string | undefined {
  const match = DESTRUCTIVE_SQL.exec(text.length > 200_000 ? text.slice(0, 200_000) : text);
  return match ? match[0].replace(/\s+/g, ' ').trim() : undefined;
}

/** The flags that hand each client a statement to run. */
const STATEMENT_FLAGS: Record<string, string[]> = {
  psql: ['-c', '--command'],
  mysql: ['-e', '--execute'],
  mariadb: ['-e', '--execute'],
  sqlcmd: ['-Q', '-q'],
  'clickhouse-client': ['-q', '--query'],
  mongo: ['--eval'],
  mongosh: ['--eval'],
  cockroach: ['-e', '--execute'],
  duckdb: ['-c', '-cmd'],
  sqlite3: ['-cmd'],
  sqlite: ['-cmd'],
};

function statements(inv: Invocation): string[] {
  const rest = inv.args.slice(1);
  const flags = STATEMENT_FLAGS[inv.name] ?? [];
  const out: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as Arg;
    for (const flag of flags) {
      if (a.value === flag && rest[i + 1]) out.push((rest[i + 1] as Arg).value);
      else if (flag.startsWith('--') && a.value.startsWith(`${flag}=`)) out.push(a.value.slice(flag.length + 1));
    }
  }
  // sqlite3 DB "SQL…", redis-cli [opts] COMMAND …: the statement is the operands.
  if (inv.name === 'sqlite3' || inv.name === 'sqlite' || inv.name === 'duckdb') out.push(rest.filter((a) => !a.value.startsWith('-')).slice(1).map((a) => a.value).join(' '));
  if (inv.name === 'redis-cli') out.push(rest.map((a) => a.value).join(' '));
  const stdin = stdinCode(inv);
  if (stdin.kind === 'text') out.push(stdin.text);
  return out;
}

export function ruleDatabaseClient(inv: Invocation, an: RuleContext): void {
  for (const sql of statements(inv)) {
    const found = destructiveSql(sql);
    if (found) {
      an.add('sql-destructive', 'ask', `${inv.name} runs '${found}', which deletes data that git cannot bring back; a human should confirm (and take a backup first).`, inv.segment);
      return;
    }
  }
}

/** dropdb, rails db:drop, prisma migrate reset, artisan migrate:fresh, manage.py flush: the whole database goes. */
export function ruleDatabaseTool(inv: Invocation, an: RuleContext): void {
  const words = inv.args.slice(1).map((a) => a.value);
  let what: string | undefined;
  switch (inv.name) {
    case 'dropdb':
      if (!words.includes('--help')) what = 'dropdb';
      break;
    case 'rails':
    case 'rake':
      what = words.find((w) => /^db:(?:drop|reset|purge|schema:load|structure:load|setup)(?::|$)/.test(w));
      if (what) what = `${inv.name} ${what}`;
      break;
    case 'prisma':
      if (words[0] === 'migrate' && words[1] === 'reset') what = 'prisma migrate reset';
      else if (words[0] === 'db' && words[1] === 'push' && hasLong(inv.args, '--force-reset', '--accept-data-loss')) what = 'prisma db push --force-reset';
      break;
    case 'artisan':
      what = words.find((w) => /^(?:migrate:(?:fresh|reset|refresh)|db:wipe)$/.test(w));
      if (what) what = `artisan ${what}`;
      break;
    case 'manage.py':
    case 'django-admin':
      if (words[0] === 'flush' || words[0] === 'reset_db' || words[0] === 'sqlflush') what = `${inv.name} ${words[0]}`;
      break;
  }
  if (what) {
    an.add('database-drop', 'ask', `${what} drops or wipes a database; its data is not in git. A human should confirm (and take a backup first).`, inv.segment);
  }
}

export const databaseRules: RuleModule[] = [
  { name: 'database-client', commands: ['psql', 'mysql', 'mariadb', 'sqlite3', 'sqlite', 'sqlcmd', 'clickhouse-client', 'mongo', 'mongosh', 'redis-cli', 'duckdb', 'cockroach'], check: ruleDatabaseClient },
  { name: 'database-tool', commands: ['dropdb', 'rails', 'rake', 'prisma', 'artisan', 'manage.py', 'django-admin'], check: ruleDatabaseTool },
];
