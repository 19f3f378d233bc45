// Preload for the Prisma 6 CLI: it leaves a 10 s timer running after its work is done.
// Long timers never hold the process open; short ones (real work) keep their normal behaviour.
const original = global.setTimeout;
global.setTimeout = function patchedSetTimeout(fn, ms, ...args) {
  const timer = original(fn, ms, ...args);
  if (typeof ms === "number" && ms >= 5000 && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
