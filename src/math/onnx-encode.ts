/**
 * A minimal ONNX model encoder (protocol-buffer wire format, no dependency): enough to build small compute
 * graphs in memory (nodes with int / ints / string attributes, graph inputs and outputs with symbolic or
 * fixed dimensions, int64 initializers) for onnxruntime's CPU kernels. Field numbers are onnx.proto3's
 * (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto, TypeProto, TensorShapeProto,
 * TensorProto). Browser-safe.
 */

/** ONNX TensorProto.DataType values used here. */
export const ONNX_DOUBLE = 11;
export const ONNX_INT64 = 7;
export const ONNX_FLOAT = 1;

export type OnnxAttr = { readonly name: string } & ({ readonly i: number } | { readonly ints: readonly number[] } | { readonly s: string });

export interface OnnxNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: readonly OnnxAttr[];
}

export interface OnnxValue {
  readonly name: string;
  readonly elemType: number;
  /** A number is a fixed dimension, a string a symbolic one. */
  readonly dims: readonly (number | string)[];
}

export interface OnnxInt64Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
  readonly initializers?: readonly OnnxInt64Initializer[];
  /** Default opset 18. */
  readonly opset?: number;
}

const enc = new TextEncoder();

/** Growable byte sink with protobuf primitives. */
class Writer {
  private buf = new Uint8Array(256);
  private len = 0;
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  varint(v: number): void {
    // non-negative integers up to 2^53 (ONNX dims, enums, lengths)
    this.ensure(10);
    let x = v;
    while (x >= 0x80) { this.buf[this.len++] = (x % 0x80) | 0x80; x = Math.floor(x / 0x80); }
    this.buf[this.len++] = x;
  }
  /** A signed int64 (two's complement for negatives, ten bytes). */
  int64(v: number): void {
    if (v >= 0) { this.varint(v); return; }
    this.ensure(10);
    let big = BigInt.asUintN(64, BigInt(v));
    for (let i = 0; i < 9; i++) { this.buf[this.len++] = Number(big & 0x7fn) | 0x80; big >>= 7n; }
    this.buf[this.len++] = Number(big);
  }
  tag(field: number, wire: number): void { this.varint(field * 8 + wire); }
  bytes(field: number, b: Uint8Array): void { this.tag(field, 2); this.varint(b.length); this.ensure(b.length); this.buf.set(b, this.len); this.len += b.length; }
  string(field: number, s: string): void { this.bytes(field, enc.encode(s)); }
  intField(field: number, v: number): void { this.tag(field, 0); this.int64(v); }
  message(field: number, build: (w: Writer) => void): void { const w = new Writer(); build(w); this.bytes(field, w.finish()); }
  finish(): Uint8Array { return this.buf.slice(0, this.len); }
}

function valueInfo(w: Writer, v: OnnxValue): void {
  w.string(1, v.name);
  w.message(2, (t) => t.message(1, (tt) => {
    tt.intField(1, v.elemType);
    tt.message(2, (shape) => { for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'string' ? dim.string(2, d) : dim.intField(1, d))); });
  }));
}

/** The ONNX ModelProto bytes of `g` (IR version 8). Cost O(size of the graph). */
export function encodeOnnxModel(g: OnnxGraph): Uint8Array {
  const w = new Writer();
  w.intField(1, 8); // ir_version
  w.string(2, 'calibra');
  w.message(7, (graph) => {
    g.nodes.forEach((n, idx) => graph.message(1, (node) => {
      for (const i of n.inputs) node.string(1, i);
      for (const o of n.outputs) node.string(2, o);
      node.string(3, `n${idx}`);
      node.string(4, n.op);
      for (const a of n.attrs ?? []) {
        node.message(5, (attr) => {
          attr.string(1, a.name);
          if ('i' in a) { attr.intField(3, a.i); attr.intField(20, 2); } else if ('ints' in a) { for (const v of a.ints) attr.intField(8, v); attr.intField(20, 7); } else { attr.bytes(4, enc.encode(a.s)); attr.intField(20, 3); }
        });
      }
    }));
    graph.string(2, 'calibra-graph');
    for (const t of g.initializers ?? []) {
      graph.message(5, (tp) => {
        for (const d of t.dims) tp.intField(1, d);
        tp.intField(2, ONNX_INT64);
        tp.string(8, t.name);
        const raw = new BigInt64Array(t.values.map((v) => BigInt(v)));
        tp.bytes(9, new Uint8Array(raw.buffer));
      });
    }
    for (const v of g.inputs) graph.message(11, (vi) => valueInfo(vi, v));
    for (const v of g.outputs) graph.message(12, (vi) => valueInfo(vi, v));
  });
  w.message(8, (op) => { op.string(1, ''); op.intField(2, g.opset ?? 18); });
  return w.finish();
}
