// Stop triggers: matched on the analysed invocation (after wrappers), never on raw text; custom command triggers.
import { describe, expect, it } from 'vitest';
import { DEFAULT_STOP_TRIGGERS } from '../../../src/constraints/defaults.js';
import { assertAllowed, assertAsk, bash, constraints } from './helpers.js';

describe('built-in triggers on by default', () => {
  it('the defaults are add-dependency, create-migration, sudo, publish and deploy (git push is allowed)', () => {
    expect(DEFAULT_STOP_TRIGGERS.map((t) => t.id)).toEqual(['add-dependency', 'create-migration', 'sudo', 'publish', 'deploy']);
  });

  it.each([
    ['npm install lodash', 'add-dependency'],
    ['npm i -D vitest', 'add-dependency'],
    ['npm install --save-dev @types/node', 'add-dependency'],
    ['npm add left-pad', 'add-dependency'],
    ['pnpm add zod', 'add-dependency'],
    ['pnpm add -D typescript', 'add-dependency'],
    ['yarn add react', 'add-dependency'],
    ['yarn global add serve', 'add-dependency'],
    ['bun add hono', 'add-dependency'],
    ['npm install -g typescript', 'add-dependency'],
    ['pip install requests', 'add-dependency'],
    ['pip3 install -U "fastapi[all]"', 'add-dependency'],
    ['python3 -m pip install numpy', 'add-dependency'],
    ['uv add httpx', 'add-dependency'],
    ['uv pip install rich', 'add-dependency'],
    ['poetry add pydantic', 'add-dependency'],
    ['pipenv install flask', 'add-dependency'],
    ['cargo add serde --features derive', 'add-dependency'],
    ['go get github.com/pkg/errors', 'add-dependency'],
    ['gem install rails', 'add-dependency'],
    ['bundle add rspec', 'add-dependency'],
    ['composer require guzzlehttp/guzzle', 'add-dependency'],
    ['dotnet add package Newtonsoft.Json', 'add-dependency'],
    ['apt-get install -y jq', 'add-dependency'],
    ['brew install ripgrep', 'add-dependency'],
    ['cd packages/web && npm install axios', 'add-dependency'],
    ['npx prisma migrate dev --name init', 'create-migration'],
    ['prisma migrate dev', 'create-migration'],
    ['yarn prisma migrate dev', 'create-migration'],
    ['rails g migration AddEmailToUsers email:string', 'create-migration'],
    ['bin/rails generate model Post title:string', 'create-migration'],
    ['alembic revision --autogenerate -m "add users"', 'create-migration'],
    ['python manage.py makemigrations', 'create-migration'],
    ['./manage.py makemigrations blog', 'create-migration'],
    ['npx knex migrate:make add_users', 'create-migration'],
    ['npx sequelize-cli migration:generate --name x', 'create-migration'],
    ['npx typeorm migration:create src/migrations/X', 'create-migration'],
    ['npx drizzle-kit generate', 'create-migration'],
    ['dotnet ef migrations add Init', 'create-migration'],
    ['flask db migrate -m "x"', 'create-migration'],
    ['php artisan make:migration create_users_table', 'create-migration'],
    ['echo "CREATE TABLE x();" > db/migrations/0002_x.sql', 'create-migration'],
    ['touch migrations/0003_add_index.py', 'create-migration'],
    ['sudo apt-get update', 'sudo'],
    ['sudo -s', 'sudo'],
    ['sudo -u postgres psql', 'sudo'],
    ['doas make install', 'sudo'],
    ["su -c 'systemctl restart nginx'", 'sudo'],
    ['npm publish', 'publish'],
    ['npm publish --access public', 'publish'],
    ['pnpm publish -r', 'publish'],
    ['yarn npm publish', 'publish'],
    ['cargo publish', 'publish'],
    ['twine upload dist/*', 'publish'],
    ['poetry publish --build', 'publish'],
    ['docker push registry.example.com/app:1.0', 'publish'],
    ['gh release create v1.0.0', 'publish'],
    ['gem push pkg-1.0.gem', 'publish'],
    ['vercel --prod', 'deploy'],
    ['netlify deploy --prod', 'deploy'],
    ['fly deploy', 'deploy'],
    ['firebase deploy --only hosting', 'deploy'],
    ['serverless deploy', 'deploy'],
    ['npx cdk deploy', 'deploy'],
    ['pulumi up --yes', 'deploy'],
    ['helm upgrade --install app ./chart', 'deploy'],
    ['gcloud run deploy api --source .', 'deploy'],
    ['npm run deploy', 'deploy'],
    ['wrangler deploy', 'deploy'],
  ])('%s → %s', (command, rule) => assertAsk(command, rule));

  it.each([
    'npm install',
    'npm ci',
    'npm i',
    'pnpm install --frozen-lockfile',
    'yarn',
    'yarn install',
    'bun install',
    'pip install -r requirements.txt',
    'pip install -e .',
    'pip install .',
    'uv sync',
    'poetry install',
    'cargo build',
    'go mod tidy',
    'go get -u ./...',
    'bundle install',
    'composer install',
    'npm run build',
    'npm test',
    'npx prisma migrate deploy',
    'rails db:migrate',
    'alembic upgrade head',
    'python manage.py migrate',
    'npm publish --dry-run',
    'cargo publish --dry-run',
    'npm pack',
    'docker build -t app .',
    'vercel',
    'netlify deploy',
    'terraform plan',
    'helm template ./chart',
    'echo "npm install lodash"',
    'grep -r "sudo" scripts/',
    'git commit -m "npm publish and sudo rm"',
    'cat > notes.md <<EOF\nrun: sudo apt-get install jq; npm publish\nEOF',
  ])('%s is allowed', (command) => assertAllowed(command));

  it('the ask carries the trigger id and its reason', () => {
    const verdict = bash('npm install lodash');
    expect(verdict.ruleId).toBe('add-dependency');
    expect(verdict.reason).toContain('a new dependency is a decision for a human');
    expect(verdict.reason).toContain('npm install lodash');
  });
});

describe('triggers follow the constraints file', () => {
  it('removing a trigger turns its ask off', () => {
    const c = constraints({ stop_triggers: [{ id: 'sudo' }] });
    assertAllowed('npm install lodash', { constraints: c });
    assertAsk('sudo ls', 'sudo', { constraints: c });
  });

  it.each([
    ['make release', 'make release'],
    ['make -j4 release', 'make release'],
    ['npm run db:seed', 'npm run db:*'],
    ['sudo make release', 'make release'],
    ['bash -c "make release"', 'make release'],
    ['cd api && make release', 'make release'],
  ])('custom command trigger: %s matches %s', (command, pattern) => {
    assertAsk(command, 'custom-release', { constraints: constraints({ stop_triggers: [{ id: 'custom-release', command: pattern.replace('db:*', '*'), reason: 'needs sign-off' }] }) });
  });

  it.each(['make test', 'echo make release', 'make', 'grep "make release" Makefile'])('custom command trigger does not match %s', (command) => {
    assertAllowed(command, { constraints: constraints({ stop_triggers: [{ id: 'custom-release', command: 'make release' }] }) });
  });

  it('a custom write trigger asks for shell writes to matching paths', () => {
    const c = constraints({ stop_triggers: [{ id: 'openapi', write: 'api/openapi.yaml', reason: 'the public API contract' }] });
    assertAsk('echo x >> api/openapi.yaml', 'openapi', { constraints: c });
    assertAllowed('echo x >> api/other.yaml', { constraints: c });
  });
});

describe('locked ports in shell commands', () => {
  const c = constraints({ ports: { '5432': 'postgres', '3000': 'web' } });
  it.each([
    'PORT=5432 npm start',
    'npx vite --port 3000 --host',
    'python3 -m http.server 5432',
    'docker run -p 5432:80 nginx',
    'node server.js --port=5432',
  ])('%s → port-locked', (command) => {
    if (command.includes('3000')) assertAsk(command, 'port-locked', { constraints: constraints({ ports: { '3000': 'api' } }) });
    else assertAsk(command, 'port-locked', { constraints: c });
  });
  it.each(['docker run -p 5432:5432 postgres:16', 'PORT=8080 npm start', 'psql -h localhost -p 5432', 'npm run dev -- --port 3000'])('%s is allowed', (command) => {
    if (command.includes('3000')) assertAllowed(command, { constraints: constraints({ ports: { '3000': 'npm run dev' } }) });
    else assertAllowed(command, { constraints: c });
  });
});
