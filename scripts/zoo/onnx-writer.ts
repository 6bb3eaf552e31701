/**
 * Writes a small feed-forward classifier (dense, conv, max-pool, flatten, ReLU) as ONNX bytes, opset 17,
 * by building the graph with onnx-proto. Used by the zoo trainer (scripts/zoo/train.ts) to export tfjs
 * models without tfjs-to-onnx converters (none run offline here).
 *
 * Layout conversions (the only subtle part):
 * - the ONNX graph always takes `x` as NCHW float32 [N, C, H, W];
 * - tfjs conv kernels are HWIO ([kh, kw, in, out]); ONNX Conv wants OIHW, so they are transposed here;
 * - tfjs flattens NHWC activations in H, W, C order; before a dense layer that follows a conv, the graph
 *   transposes NCHW -> NHWC (Transpose perm [0, 2, 3, 1]) and then flattens, so the dense weights are used as is;
 * - tfjs dense kernels are [in, out], which is ONNX Gemm's B with transB = 0.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** One layer of a zoo model, with weights in tfjs layout. */
export type ZooLayer =
  | { readonly kind: 'flatten' }
  | { readonly kind: 'dense'; readonly inDim: number; readonly outDim: number; readonly kernel: Float32Array; readonly bias: Float32Array; readonly relu: boolean }
  | { readonly kind: 'conv'; readonly kh: number; readonly kw: number; readonly inChannels: number; readonly outChannels: number; readonly stride: number; readonly kernelHWIO: Float32Array; readonly bias: Float32Array; readonly relu: boolean }
  | { readonly kind: 'maxpool'; readonly size: number; readonly stride: number };

/** What the exported graph looks like from outside. */
export interface ZooGraphSpec {
  readonly name: string;
  /** Input shape without the batch dimension, NCHW: [C, H, W]. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  readonly layers: readonly ZooLayer[];
  readonly docString: string;
}

const FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function tensor(name: string, dims: readonly number[], values: Float32Array): onnxProto.onnx.ITensorProto {
  const copy = Float32Array.from(values);
  return { name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(copy.buffer) };
}

function valueInfo(name: string, dims: readonly (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } };
}

/** HWIO -> OIHW. */
export function hwioToOihw(k: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let h = 0; h < kh; h++) for (let w = 0; w < kw; w++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
    out[((o * cin + i) * kh + h) * kw + w] = k[((h * kw + w) * cin + i) * cout + o] as number;
  }
  return out;
}

/** Encodes the model as ONNX bytes (opset 17, IR 8). Output `logits` [N, numClasses]. Cost: O(#weights). */
export function buildZooOnnx(spec: ZooGraphSpec): Uint8Array {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const inits: onnxProto.onnx.ITensorProto[] = [];
  let cur = 'x';
  let spatial = true; // activations are still NCHW 4-D
  let sawConv = false;
  spec.layers.forEach((layer, li) => {
    const p = `l${li}`;
    const isLast = li === spec.layers.length - 1;
    if (layer.kind === 'flatten' || (layer.kind === 'dense' && spatial)) {
      if (sawConv) {
        nodes.push({ opType: 'Transpose', input: [cur], output: [`${p}_nhwc`], attribute: [{ name: 'perm', type: ATTR_INTS, ints: [0, 2, 3, 1] }] });
        cur = `${p}_nhwc`;
      }
      nodes.push({ opType: 'Flatten', input: [cur], output: [`${p}_flat`], attribute: [{ name: 'axis', type: ATTR_INT, i: 1 }] });
      cur = `${p}_flat`;
      spatial = false;
      if (layer.kind === 'flatten') return;
    }
    if (layer.kind === 'dense') {
      inits.push(tensor(`${p}_W`, [layer.inDim, layer.outDim], layer.kernel), tensor(`${p}_b`, [layer.outDim], layer.bias));
      const out = isLast && !layer.relu ? 'logits' : `${p}_gemm`;
      nodes.push({ opType: 'Gemm', input: [cur, `${p}_W`, `${p}_b`], output: [out] });
      cur = out;
      if (layer.relu) { nodes.push({ opType: 'Relu', input: [cur], output: [`${p}_relu`] }); cur = `${p}_relu`; }
      return;
    }
    if (layer.kind === 'conv') {
      sawConv = true;
      inits.push(tensor(`${p}_W`, [layer.outChannels, layer.inChannels, layer.kh, layer.kw], hwioToOihw(layer.kernelHWIO, layer.kh, layer.kw, layer.inChannels, layer.outChannels)));
      inits.push(tensor(`${p}_b`, [layer.outChannels], layer.bias));
      nodes.push({
        opType: 'Conv', input: [cur, `${p}_W`, `${p}_b`], output: [`${p}_conv`],
        attribute: [
          { name: 'kernel_shape', type: ATTR_INTS, ints: [layer.kh, layer.kw] },
          { name: 'strides', type: ATTR_INTS, ints: [layer.stride, layer.stride] },
          { name: 'pads', type: ATTR_INTS, ints: [0, 0, 0, 0] },
        ],
      });
      cur = `${p}_conv`;
      if (layer.relu) { nodes.push({ opType: 'Relu', input: [cur], output: [`${p}_relu`] }); cur = `${p}_relu`; }
      return;
    }
    nodes.push({
      opType: 'MaxPool', input: [cur], output: [`${p}_pool`],
      attribute: [
        { name: 'kernel_shape', type: ATTR_INTS, ints: [layer.size, layer.size] },
        { name: 'strides', type: ATTR_INTS, ints: [layer.stride, layer.stride] },
      ],
    });
    cur = `${p}_pool`;
  });
  if (cur !== 'logits') {
    nodes.push({ opType: 'Identity', input: [cur], output: ['logits'] });
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'calibra-zoo',
    producerVersion: '1',
    docString: spec.docString,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: spec.name,
      node: nodes,
      initializer: inits,
      input: [valueInfo('x', ['N', ...spec.inputShape])],
      output: [valueInfo('logits', ['N', spec.numClasses])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
