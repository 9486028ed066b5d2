#!/usr/bin/env node
// Times one ONNX model under ONNX Runtime (onnxruntime-node, CPU execution
// provider), for comparison with rnncell's own benchmarks.
//
//   node bench/onnxruntime_time.js <model.onnx> <T> <B> <In> [--rounds N] [--iters K] [--threads n]
//
// What it measures: the wall time of `await session.run(feeds)` from node,
// per run. That is ORT's inference plus the node/N-API overhead around it:
// wrapping the (reused) input tensors, the setImmediate hop that
// onnxruntime-node's async run() takes, and copying the output tensor back
// into a JS typed array. Session creation and graph optimisation are not
// included (done once before the warm-up). To see the fixed part of that
// overhead, time a trivial model (one Identity node) with the same T, B, In:
// its ms_per_run is almost all overhead.
//
// Input: graph input `x`, dims [T, B, In], float32 (or float64 if the model
// declares it so), filled from a fixed-seed LCG with values in [-1, 1). If
// the model has an input `sequence_lens`, it gets B lengths all equal to T.
// Output fetched: `logits` if the model has it, otherwise all outputs.
//
// Intra-op threads default to 1 (inter-op 1, sequential execution): the
// comparison is one core against one core. Graph optimisation is ORT's
// default.
//
// Prints one JSON line per round, {"round":r,"ms_per_run":...,"runs":K},
// then {"best_ms":...}, the smallest ms_per_run over the rounds.
// K defaults to enough runs for about 1 s per round, estimated in warm-up.
//
// Install the runtime once, from the repository root:
//   npm ci --ignore-scripts --no-audit --no-fund --prefix tests/onnx
'use strict';

const path = require('path');

function fail(msg) {
  process.stderr.write(`onnxruntime_time: ${msg}\n`);
  process.exit(1);
}

function positiveInt(s, what) {
  if (s === undefined || !/^[0-9]+$/.test(s) || !(Number(s) > 0) || !Number.isSafeInteger(Number(s))) {
    fail(`${what} must be a positive integer, got '${s}'`);
  }
  return Number(s);
}

function parseArgs(argv) {
  const pos = [];
  const opt = { rounds: 3, iters: 0, threads: 1 };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--rounds') opt.rounds = positiveInt(argv[++i], '--rounds');
    else if (a === '--iters') opt.iters = positiveInt(argv[++i], '--iters');
    else if (a === '--threads') opt.threads = positiveInt(argv[++i], '--threads');
    else if (a.startsWith('--')) fail(`unknown option '${a}'`);
    else pos.push(a);
  }
  if (pos.length !== 4) {
    fail('usage: node bench/onnxruntime_time.js <model.onnx> <T> <B> <In> [--rounds N] [--iters K] [--threads n]');
  }
  return {
    model: pos[0],
    T: positiveInt(pos[1], 'T'),
    B: positiveInt(pos[2], 'B'),
    In: positiveInt(pos[3], 'In'),
    ...opt,
  };
}

// Numerical Recipes 32-bit LCG; uniform in [-1, 1).
function makeLcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
}

function loadOrt() {
  const dir = path.join(__dirname, '..', 'tests', 'onnx', 'node_modules', 'onnxruntime-node');
  try {
    return require(dir);
  } catch (e) {
    fail(`cannot load onnxruntime-node from ${dir}: ${e.message}\n` +
         'install it with: npm ci --ignore-scripts --no-audit --no-fund --prefix tests/onnx');
  }
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  ort.env.logLevel = 'fatal';

  let session;
  try {
    session = await ort.InferenceSession.create(a.model, {
      executionProviders: ['cpu'],
      intraOpNumThreads: a.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
  } catch (e) {
    fail(`cannot load model '${a.model}': ${e.message}`);
  }

  const meta = (name) => session.inputMetadata.find((m) => m.name === name);
  const xMeta = meta('x');
  if (!xMeta || !xMeta.isTensor) fail(`model has no tensor input named 'x' (inputs: ${session.inputNames.join(', ')})`);
  if (xMeta.type !== 'float32' && xMeta.type !== 'float64') fail(`input 'x' has type ${xMeta.type}`);

  const n = a.T * a.B * a.In;
  const rnd = makeLcg(12345);
  const xData = xMeta.type === 'float64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; ++i) xData[i] = rnd();
  const feeds = { x: new ort.Tensor(xMeta.type, xData, [a.T, a.B, a.In]) };

  const lMeta = meta('sequence_lens');
  if (lMeta) {
    if (lMeta.type === 'int32') feeds.sequence_lens = new ort.Tensor('int32', new Int32Array(a.B).fill(a.T), [a.B]);
    else if (lMeta.type === 'int64') feeds.sequence_lens = new ort.Tensor('int64', new BigInt64Array(a.B).fill(BigInt(a.T)), [a.B]);
    else fail(`input 'sequence_lens' has type ${lMeta.type}`);
  }
  for (const name of session.inputNames) {
    if (!(name in feeds)) fail(`model input '${name}' is neither 'x' nor 'sequence_lens'`);
  }
  const fetches = session.outputNames.includes('logits') ? ['logits'] : session.outputNames.slice();

  let sink = 0;
  const runOnce = async () => {
    const r = await session.run(feeds, fetches);
    sink += r[fetches[0]].data[0]; // read the output, so it is really handed over
  };

  // Warm-up: at least 5 runs and at least 0.3 s; it also estimates the run time.
  try {
    let runs = 0;
    const t0 = nowMs();
    while (runs < 5 || nowMs() - t0 < 300) {
      await runOnce();
      ++runs;
    }
    const est = (nowMs() - t0) / runs;
    if (!a.iters) a.iters = Math.max(1, Math.ceil(1000 / est));

    let best = Infinity;
    for (let r = 1; r <= a.rounds; ++r) {
      const s = nowMs();
      for (let k = 0; k < a.iters; ++k) await runOnce();
      const ms = (nowMs() - s) / a.iters;
      best = Math.min(best, ms);
      process.stdout.write(JSON.stringify({ round: r, ms_per_run: Number(ms.toPrecision(6)), runs: a.iters }) + '\n');
    }
    process.stdout.write(JSON.stringify({ best_ms: Number(best.toPrecision(6)) }) + '\n');
  } catch (e) {
    fail(`run failed: ${e.message}`);
  }
  if (Number.isNaN(sink)) process.stderr.write('onnxruntime_time: note: the output holds NaN\n');
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
