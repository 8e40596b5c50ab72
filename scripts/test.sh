#!/usr/bin/env bash
# npm test: type-check, lint the CSS (stylelint), then every test (unit, integration on Postgres,
# browser in Chromium). Needs a Postgres server (TEST_DATABASE_URL, default
# postgresql://postgres@127.0.0.1:5432/postgres) and Chromium (CHROMIUM_PATH,
# default /usr/bin/chromium); .ci/run installs both when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

url="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
if ! node -e "const c=new (require('pg').Client)({connectionString:process.argv[1],connectionTimeoutMillis:3000});c.connect().then(()=>c.end()).catch(()=>process.exit(1))" "$url"; then
  echo "npm test needs a PostgreSQL server at $url (set TEST_DATABASE_URL), or run: bash .ci/run" >&2
  exit 1
fi
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "npm test needs Chromium at $chromium (apt-get install chromium, or set CHROMIUM_PATH), or run: bash .ci/run" >&2
  exit 1
fi

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "npm test needs nginx for the two-process test (apt-get install nginx), or run: bash .ci/run" >&2
  exit 1
fi
[ -d src/generated/prisma ] || npx prisma generate
npx tsc --noEmit
npx stylelint "public/**/*.css"
npx vitest run "$@"
