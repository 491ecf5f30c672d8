#!/usr/bin/env sh
# Registers Capstan's search attributes on a Temporal cluster (the dev server does this itself).
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
for name in CapstanKind CapstanAccountId CapstanUserId CapstanAppId; do
  temporal operator search-attribute create --namespace "$ns" --name "$name" --type Keyword || true
done
