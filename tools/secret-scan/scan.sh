#!/usr/bin/env bash
# Scans the repository for committed secrets with secretlint (pinned in package.json / package-lock.json).
# First proves the scanner works by planting a canary key in a scratch folder and expecting a finding.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"
[ -d node_modules ] || npm ci --no-audit --no-fund --silent
bin="$here/node_modules/.bin/secretlint"

canary=$(mktemp -d)
trap 'rm -rf "$canary"' EXIT
# A well-formed but fake AWS key pair, assembled at run time so this file itself holds no secret.
printf 'aws_access_key_id = AKIA%s\naws_secret_access_key = %s\n' "QYLPMN5HHHFPZAM2" \
  "1tUm636uS1yOEcfP5pvfqJ/ml36mF7AkyHsEU0IU" > "$canary/leak.env"
if "$bin" --secretlintrc "$here/.secretlintrc.json" "$canary/leak.env" >/dev/null 2>&1; then
  echo "secret scan: the scanner did not flag a planted canary; refusing to trust it" >&2
  exit 1
fi

cd "$root"
files=$(git ls-files | grep -vE '(^|/)(node_modules|target)/|package-lock\.json$' || true)
# shellcheck disable=SC2086
"$bin" --secretlintrc "$here/.secretlintrc.json" --maskSecrets $files
echo "secret scan: no secrets in $(echo "$files" | wc -l) tracked files"
