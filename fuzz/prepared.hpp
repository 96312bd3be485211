// The world a fuzz target runs its inputs against (a migrated database with the demo, the app),
// built once before the first input:
//
//   extern "C" int LLVMFuzzerInitialize(int*, char***) { return chidoan::fuzz::prepare<World>(); }
//   ... World& world = chidoan::fuzz::prepared<World>();
//
// Not in the first LLVMFuzzerTestOneInput: migrating and loading the demo takes seconds (more on
// a loaded machine), and libFuzzer's per-input timeout would count them against the first input.
#pragma once

namespace chidoan::fuzz {

template <class World>
World*& world_slot() {
  static World* world = nullptr;  // never deleted: it lives as long as the fuzzer
  return world;
}

template <class World>
int prepare() {
  world_slot<World>() = new World();
  return 0;
}

template <class World>
World& prepared() {
  return *world_slot<World>();
}

}  // namespace chidoan::fuzz
