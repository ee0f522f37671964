# Node.js 24 for this repository, from the npm registry when the machine's `node` is not 24.
#   source scripts/node24.sh        (bash or zsh) puts Node 24 first on PATH in this shell
#   bash scripts/node24.sh          only fetches it and prints the `export PATH=…` line to use
# When `node` on PATH already satisfies package.json "engines" (>=24.11 <25) it is kept. Otherwise
# the pinned build (node-linux-<x64|arm64>@EDGEPLANE_NODE_VERSION, the official binary repackaged
# on npm) is fetched once with `npm pack` (or curl when there is no npm), checked against the pinned
# SHA-512 and unpacked to $EDGEPLANE_TOOLS_DIR/node-v<version>-linux-<arch> (default: .tools/ in
# the repo, which ignores itself through its own .gitignore); its bin/ then goes first on PATH. npm itself is not in that package: the
# npm already installed (11.x, `#!/usr/bin/env node`) runs on the Node found first on PATH.
# Env: EDGEPLANE_TOOLS_DIR, EDGEPLANE_PINNED_NODE=1 (use the pinned build even if `node` is 24).
# .ci/run sources this file; it never calls `exit`, so sourcing it from a shell is safe.

EDGEPLANE_NODE_VERSION=24.21.0
# sha512 of the registry tarballs (npm view node-linux-<arch>@<version> dist.integrity, as hex)
EDGEPLANE_NODE_SHA512_x64=de750bb336795f47dc898a46d2de93add029273027f3e16520d3fa3a2317ed5f07aefa404cf37ddfa5352e545e389ae22d16b87bcc84a900580a72f23cd02ced
EDGEPLANE_NODE_SHA512_arm64=1692513c4cf63afbd32df8c83a5346158f492cf30a825e66f9de2819804b836e242759a6bcdd5997f1cf2601781c3689e752127afd65d5c459fc333e91e5d6e6

_edgeplane_node24() {
  local self repo arch sha dir tmp tgz registry want have
  if [ -n "${BASH_SOURCE:-}" ]; then
    self=${BASH_SOURCE[0]}
  elif [ -n "${ZSH_VERSION:-}" ]; then
    eval 'self=${(%):-%x}'
  else
    self=$0
  fi
  repo=$(cd "$(dirname "$self")/.." && pwd) || return 1
  want=v$EDGEPLANE_NODE_VERSION

  # 1. Is the node on PATH good enough? (package.json engines: >=24.11 <25)
  have=$(node --version 2>/dev/null || true)
  if [ -z "${EDGEPLANE_PINNED_NODE:-}" ] && [ -n "$have" ]; then
    local major minor
    major=${have#v}
    major=${major%%.*}
    minor=${have#v*.}
    minor=${minor%%.*}
    if [ "$major" = 24 ] && [ "$minor" -ge 11 ] 2>/dev/null; then
      echo "node24: using $(command -v node) ($have)"
      return 0
    fi
  fi

  # 2. The pinned build, fetched once.
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) arch=x64 sha=$EDGEPLANE_NODE_SHA512_x64 ;;
    Linux-aarch64 | Linux-arm64) arch=arm64 sha=$EDGEPLANE_NODE_SHA512_arm64 ;;
    *)
      echo "node24: no pinned Node build for $(uname -s) $(uname -m); install Node 24 (>=24.11) yourself, e.g. with nvm or fnm" >&2
      return 1
      ;;
  esac
  dir=${EDGEPLANE_TOOLS_DIR:-$repo/.tools}/node-$want-linux-$arch
  if [ "$("$dir/bin/node" --version 2>/dev/null)" != "$want" ]; then
    echo "node24: ${have:-no node} on PATH; fetching node-linux-$arch@$EDGEPLANE_NODE_VERSION from the npm registry"
    mkdir -p "$(dirname "$dir")" || return 1
    # the tools dir ignores itself (nothing in it is ever committed)
    [ -f "$(dirname "$dir")/.gitignore" ] || echo '*' >"$(dirname "$dir")/.gitignore"
    tmp=$(mktemp -d "$(dirname "$dir")/.node-fetch.XXXXXX") || return 1
    tgz=$tmp/node-linux-$arch-$EDGEPLANE_NODE_VERSION.tgz
    if command -v npm >/dev/null 2>&1 && npm --version >/dev/null 2>&1; then
      (cd "$tmp" && npm pack "node-linux-$arch@$EDGEPLANE_NODE_VERSION" --silent >/dev/null) || {
        echo "node24: npm pack node-linux-$arch@$EDGEPLANE_NODE_VERSION failed" >&2
        rm -rf "$tmp"
        return 1
      }
    else
      registry=${npm_config_registry:-https://registry.npmjs.org}
      curl -fsSL --retry 3 -o "$tgz" "${registry%/}/node-linux-$arch/-/node-linux-$arch-$EDGEPLANE_NODE_VERSION.tgz" || {
        echo "node24: download from $registry failed" >&2
        rm -rf "$tmp"
        return 1
      }
    fi
    if [ "$(sha512sum "$tgz" | cut -d' ' -f1)" != "$sha" ]; then
      echo "node24: $tgz does not match the pinned SHA-512; not using it" >&2
      rm -rf "$tmp"
      return 1
    fi
    mkdir -p "$tmp/node" &&
      tar -xzf "$tgz" -C "$tmp/node" --strip-components=1 package/bin/node package/LICENSE package/package.json &&
      [ "$("$tmp/node/bin/node" --version 2>/dev/null)" = "$want" ] || {
      echo "node24: the unpacked node does not run or is not $want" >&2
      rm -rf "$tmp"
      return 1
    }
    rm -rf "$dir" && mv "$tmp/node" "$dir" && rm -rf "$tmp" || return 1
  fi

  case ":$PATH:" in
    *":$dir/bin:"*) ;;
    *) PATH=$dir/bin:$PATH ;;
  esac
  export PATH
  hash -r 2>/dev/null || true
  if ! npm --version >/dev/null 2>&1; then
    echo "node24: node $want is on PATH, but npm does not run with it; install npm 11 (apt-get install npm, or npm i -g npm@11)" >&2
    return 1
  fi
  echo "node24: using $dir/bin/node ($(node --version)), npm $(npm --version)"
}

if (return 0 2>/dev/null); then
  _edgeplane_node24
else
  # executed, not sourced: fetch, then say how to use it
  _edgeplane_node24 && echo "export PATH=\"$(dirname "$(command -v node)"):\$PATH\""
fi
