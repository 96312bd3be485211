# shellcheck shell=bash
# install_deps: installs the Debian and npm packages that building, the demo and the tests need.
# build: configures and builds build/chidoan (RelWithDebInfo, Ninja, 2 jobs).
# build_asan: configures and builds the sanitizer build (build-asan: clang, ASan/UBSan, the fuzz targets).
# A second run is fast and offline: apt is asked only for packages that are missing, and npm only
# when node_modules is missing or older than package-lock.json.

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CHIDOAN_APT_PACKAGES=(
  # toolchain. clang: the sanitizer build and the libFuzzer targets of ./scripts/fuzz. Debian 12's
  # clang-16 lacks the C++20 concepts level libstdc++ 12's <expected> asks for, and clang-19
  # cannot compile qpdf 11.3's JSON.hh in C++20 mode; clang-22 (bookworm-security) does both.
  # llvm-22: the llvm-symbolizer its sanitizers' stack traces need.
  build-essential cmake ninja-build pkg-config lld clang-22 libclang-rt-22-dev llvm-22
  # libraries
  libboost-dev libmstch-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev libpq-dev libicu-dev
  libsodium-dev libxlsxwriter-dev libzip-dev libpugixml-dev libqrencode-dev python3-icalendar
  libcairo2-dev libpango1.0-dev fonts-noto-core libcurl4-openssl-dev coinor-libcbc-dev
  libtesseract-dev libleptonica-dev libqpdf-dev tesseract-ocr-vie tesseract-ocr-osd tesseract-ocr-eng libcmark-dev
  # tests (nginx-light: the reverse proxy of tests/e2e/cluster.test.mjs)
  libgtest-dev libgmock-dev libbenchmark-dev postgresql-15 chromium sqlite3 poppler-utils python3-aiosmtpd nginx-light
)
# Only for bench/*.sh (which call install_bench_deps themselves).
CHIDOAN_BENCH_PACKAGES=(wrk nginx-light hyperfine ocrmypdf img2pdf pngquant time)

# Prints the packages among "$@" that are not installed.
_missing_packages() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [[ $status == installed ]] || printf '%s\n' "$p"
  done
}

# apt_install PKG...: installs what is missing; no network when nothing is.
apt_install() {
  local missing
  mapfile -t missing < <(_missing_packages "$@")
  if ((${#missing[@]} == 0)); then
    ok "Debian packages present ($# checked)"
    return 0
  fi
  step "Installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_npm_deps() {
  local root=$CHIDOAN_ROOT
  [[ -f $root/package.json ]] || return 0
  # npm writes node_modules/.package-lock.json on every install: use it as the stamp.
  local stamp=$root/node_modules/.package-lock.json
  if [[ -f $stamp && ! $root/package-lock.json -nt $stamp && ! $root/package.json -nt $stamp ]]; then
    ok "npm packages present"
    return 0
  fi
  step "Installing npm packages"
  if [[ -f $root/package-lock.json ]]; then
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  else
    (cd "$root" && npm install --no-audit --no-fund --loglevel=error)
  fi
}

install_deps() {
  step "Checking dependencies"
  local pkgs=("${CHIDOAN_APT_PACKAGES[@]}")
  # Node may come from elsewhere (NodeSource, nvm): then leave it alone.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    pkgs+=(nodejs npm)
  fi
  apt_install "${pkgs[@]}"
  # playwright-core 1.65 declares node >= 20; Debian 12's own nodejs is 18.
  local node_major
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if ((node_major < 20)); then
    warn "node $(node -v 2>/dev/null) is older than 20, which playwright-core needs for the browser tests"
  fi
  install_npm_deps
}

install_bench_deps() {
  apt_install "${CHIDOAN_BENCH_PACKAGES[@]}"
}

# build [DIR [extra cmake args...]]: configure and build; default DIR is build. With
# CHIDOAN_BUILD_TARGET set, builds that target (and what it needs) only.
build() {
  local dir=${1:-build}
  shift || true
  step "Building $dir${CHIDOAN_BUILD_TARGET:+ ($CHIDOAN_BUILD_TARGET)}"
  # -g1 (line tables: backtraces and perf still work) instead of CMake's -g: full debug info
  # made the build a third slower on 2 cores. CHIDOAN_UNITY: each library compiles as one file
  # (cmake/chidoan.cmake). Later -D arguments override these.
  (cd "$CHIDOAN_ROOT" &&
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCHIDOAN_UNITY=ON \
      "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" "$@" >/dev/null &&
    cmake --build "$dir" -j2 ${CHIDOAN_BUILD_TARGET:+--target "$CHIDOAN_BUILD_TARGET"})
}

# build_asan [TARGET]: the sanitizer build, build-asan (CHIDOAN_ASAN_DIR overrides): clang with
# ASan and UBSan at -O0 with line tables, and libFuzzer's coverage on the code, so that the one
# build runs unit tests under the sanitizers (./scripts/test) and gives the fuzz targets (fuzz/,
# ./scripts/fuzz). TARGET defaults to sanitizer_checks: the fuzz targets and the tests labelled
# "sanitize" (cmake/chidoan.cmake); "all" builds every test. -O0 and -g1: sanitizers at -O2 with
# full debug info took 22 min to compile on 2 cores, at -O1 14 min; -O0 halves a file's time
# again. The benchmarks are not tests.
build_asan() {
  local dir=${CHIDOAN_ASAN_DIR:-build-asan}
  local CHIDOAN_BUILD_TARGET=${1:-sanitizer_checks}
  # A build-asan configured with g++ (before the fuzz targets) cannot switch compilers in place.
  if [[ -f $CHIDOAN_ROOT/$dir/CMakeCache.txt ]] &&
    ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-22$' "$CHIDOAN_ROOT/$dir/CMakeCache.txt"; then
    rm -rf "${CHIDOAN_ROOT:?}/$dir/CMakeCache.txt" "${CHIDOAN_ROOT:?}/$dir/CMakeFiles"
  fi
  build "$dir" -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCHIDOAN_SANITIZE=ON -DCHIDOAN_FUZZ=ON -DCHIDOAN_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1"
}
