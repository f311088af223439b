// Entry point of the measurement child processes (see childProcess.ts): one scenario per process.
//   node --import tsx bench/scenarioChild.ts read-only <corpusRoot>
//   node --import tsx bench/scenarioChild.ts parse-floor <corpusRoot>
import { readManifest } from './corpora';
import { measureParseFloor, measureReadOnly } from './floorMeasurements';
import { cpuMsSince, peakRssMb } from './stats';

async function main(): Promise<void> {
  const [scenario, root] = process.argv.slice(2);
  if (!scenario || !root) throw new Error('usage: scenarioChild.ts <read-only|parse-floor> <corpusRoot>');
  const corpus = await readManifest(root);
  if (!corpus) throw new Error(`no materialised corpus at ${root}`);
  const cpu = process.cpuUsage();
  switch (scenario) {
    case 'read-only': {
      const r = measureReadOnly(root, corpus.files);
      console.log(JSON.stringify({ ...r, cpuMs: cpuMsSince(cpu), peakRssMb: peakRssMb() }));
      return;
    }
    case 'parse-floor': {
      const r = await measureParseFloor(root, corpus.files);
      console.log(JSON.stringify({ ...r, cpuMs: cpuMsSince(cpu), peakRssMb: peakRssMb() }));
      return;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
