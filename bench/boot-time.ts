// Benchmark: boot-to-SSH time of the Debian 13 guest under TCG, one guest alone and two in parallel.
// Usage: node --import tsx bench/boot-time.ts [--runs 3]
import { bootGuests, loadAverage, summarize } from "./bench-guest.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? 3) || 3;

const single: number[] = [];
const parallel: number[] = [];
for (let i = 0; i < runs; i++) {
  const load = await loadAverage();
  const one = await bootGuests(1);
  await one.destroy();
  single.push(...Object.values(one.bootSeconds));
  const two = await bootGuests(2);
  await two.destroy();
  parallel.push(...Object.values(two.bootSeconds));
  process.stdout.write(
    `run ${i + 1}: single ${Object.values(one.bootSeconds)
      .map((s) => s.toFixed(1))
      .join(" ")} s; ` +
      `2 in parallel ${Object.values(two.bootSeconds)
        .map((s) => s.toFixed(1))
        .join(" ")} s (load average before: ${load})\n`,
  );
}
const fmt = (v: number[]): string => {
  const s = summarize(v);
  return `median ${s.median.toFixed(1)} s (p10 ${s.p10.toFixed(1)}, p90 ${s.p90.toFixed(1)}, n=${s.n})`;
};
process.stdout.write(`boot to SSH, QEMU start to first command, TCG, -smp 2 -m 2048:\n`);
process.stdout.write(`  single guest:        ${fmt(single)}\n`);
process.stdout.write(`  2 guests in parallel: ${fmt(parallel)}\n`);
