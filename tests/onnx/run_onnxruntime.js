#!/usr/bin/env node
// Runs one ONNX model through ONNX Runtime (onnxruntime-node, CPU execution
// provider, 1 intra-op thread) so the C++ tests can use it as an oracle.
//
//   node tests/onnx/run_onnxruntime.js <model.onnx> <x.bin> <T> <B> <In> <out.bin> [<lens.bin>] [--f64]
//
// x.bin     raw little-endian values, time-major (T, B, In), fed as graph
//           input `x` with dims [T, B, In]. The element type fed is the one
//           the model declares for `x` (read from session.inputMetadata):
//           float32 or float64. The file holds float32 (T*B*In*4 bytes) or
//           float64 (T*B*In*8 bytes), told apart by its size; a float32 file
//           for a float64 input is widened exactly, a float64 file for a
//           float32 input is refused (it would round). `--f64` asserts that
//           the file holds float64.
// lens.bin  optional, raw little-endian int32, B values, fed as input
//           `sequence_lens` with dims [B] (as int64 if the model declares
//           int64 there).
// out.bin   the output `logits`, raw little-endian, float32 or float64 as the
//           model produces it, data only. Its shape goes to stdout as one
//           line: `logits <d0> <d1> ...`.
//
// On any error the message goes to stderr and the exit code is 1. out.bin is
// written to out.bin.tmp and renamed into place, so it is either complete or
// absent: a stale out.bin from an earlier call is removed before the run.
//
// Install the runtime once, from the repository root:
//   npm ci --ignore-scripts --no-audit --no-fund --prefix tests/onnx
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

function fail(msg) {
  process.stderr.write(`run_onnxruntime: ${msg}\n`);
  process.exit(1);
}

function loadOrt() {
  const dir = path.join(__dirname, 'node_modules', 'onnxruntime-node');
  try {
    return require(dir);
  } catch (e) {
    fail(`cannot load onnxruntime-node from ${dir}: ${e.message}\n` +
         'install it with: npm ci --ignore-scripts --no-audit --no-fund --prefix tests/onnx');
  }
}

function parseDim(s, what) {
  if (!/^[0-9]+$/.test(s)) fail(`${what} must be a positive integer, got '${s}'`);
  const v = Number(s);
  if (!Number.isSafeInteger(v) || v <= 0) fail(`${what} must be a positive integer, got '${s}'`);
  return v;
}

// A private copy with its own ArrayBuffer, so typed-array alignment holds.
function readBytes(file, what) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    fail(`cannot read ${what} '${file}': ${e.message}`);
  }
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

async function main() {
  const argv = process.argv.slice(2);
  const flags = argv.filter((a) => a.startsWith('--'));
  const pos = argv.filter((a) => !a.startsWith('--'));
  for (const f of flags) {
    if (f !== '--f64') fail(`unknown option '${f}'`);
  }
  const fileIsF64Asserted = flags.includes('--f64');
  if (pos.length !== 6 && pos.length !== 7) {
    fail('usage: node run_onnxruntime.js <model.onnx> <x.bin> <T> <B> <In> <out.bin> [<lens.bin>] [--f64]');
  }
  if (os.endianness() !== 'LE') fail('this runner assumes a little-endian host');

  const [modelPath, xPath, tS, bS, inS, outPath, lensPath] = pos;
  const T = parseDim(tS, 'T');
  const B = parseDim(bS, 'B');
  const In = parseDim(inS, 'In');
  const n = T * B * In;

  // Never leave an earlier result where this call's result would be.
  try {
    fs.rmSync(outPath, { force: true });
  } catch (e) {
    fail(`cannot remove stale '${outPath}': ${e.message}`);
  }

  const ort = loadOrt();
  // ORT's own logger would repeat each error (with terminal colour codes) before
  // the exception that carries the same message reaches fail() below.
  ort.env.logLevel = 'fatal';

  let session;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
    });
  } catch (e) {
    fail(`cannot load model '${modelPath}': ${e.message}`);
  }

  const meta = (name, list) => list.find((m) => m.name === name);
  const xMeta = meta('x', session.inputMetadata);
  if (!xMeta) fail(`model has no input named 'x' (inputs: ${session.inputNames.join(', ')})`);
  if (!xMeta.isTensor) fail("model input 'x' is not a tensor");
  if (xMeta.type !== 'float32' && xMeta.type !== 'float64') {
    fail(`model input 'x' has type ${xMeta.type}; only float32 and float64 are supported`);
  }
  if (!session.outputNames.includes('logits')) {
    fail(`model has no output named 'logits' (outputs: ${session.outputNames.join(', ')})`);
  }

  // x
  const xBytes = readBytes(xPath, 'x');
  let fileIsF64;
  if (xBytes.byteLength === n * 4 && !fileIsF64Asserted) fileIsF64 = false;
  else if (xBytes.byteLength === n * 8) fileIsF64 = true;
  else {
    fail(`'${xPath}' has ${xBytes.byteLength} bytes; T*B*In = ${n} values need ` +
         (fileIsF64Asserted ? `${n * 8} (float64, --f64)` : `${n * 4} (float32) or ${n * 8} (float64)`));
  }
  let xData;
  if (xMeta.type === 'float64') {
    xData = fileIsF64 ? new Float64Array(xBytes) : Float64Array.from(new Float32Array(xBytes));
  } else {
    if (fileIsF64) fail(`'${xPath}' holds float64 but model input 'x' is float32`);
    xData = new Float32Array(xBytes);
  }
  const feeds = { x: new ort.Tensor(xMeta.type, xData, [T, B, In]) };

  // sequence_lens
  if (lensPath !== undefined) {
    const lMeta = meta('sequence_lens', session.inputMetadata);
    if (!lMeta) fail(`lens.bin given but the model has no input named 'sequence_lens' (inputs: ${session.inputNames.join(', ')})`);
    const lBytes = readBytes(lensPath, 'lens');
    if (lBytes.byteLength !== B * 4) {
      fail(`'${lensPath}' has ${lBytes.byteLength} bytes; B = ${B} int32 values need ${B * 4}`);
    }
    const lens = new Int32Array(lBytes);
    if (lMeta.type === 'int32') {
      feeds.sequence_lens = new ort.Tensor('int32', lens, [B]);
    } else if (lMeta.type === 'int64') {
      feeds.sequence_lens = new ort.Tensor('int64', BigInt64Array.from(lens, (v) => BigInt(v)), [B]);
    } else {
      fail(`model input 'sequence_lens' has type ${lMeta.type}; only int32 and int64 are supported`);
    }
  }

  let results;
  try {
    results = await session.run(feeds, ['logits']);
  } catch (e) {
    fail(`run failed: ${e.message}`);
  }
  const out = results.logits;
  if (!out) fail("run returned no 'logits'");
  if (out.type !== 'float32' && out.type !== 'float64') {
    fail(`output 'logits' has type ${out.type}; only float32 and float64 are supported`);
  }
  const d = out.data;
  const tmp = `${outPath}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.from(d.buffer, d.byteOffset, d.byteLength));
    fs.renameSync(tmp, outPath);
  } catch (e) {
    try { fs.rmSync(tmp, { force: true }); } catch (_) { /* nothing more to do */ }
    fail(`cannot write '${outPath}': ${e.message}`);
  }
  process.stdout.write(`logits ${out.dims.join(' ')}\n`);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
