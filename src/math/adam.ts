/**
 * Adam (Kingma & Ba 2015) with PyTorch's semantics (torch.optim.Adam, amsgrad=False, weight_decay=0):
 *   m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
 *   p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * State is allocated once; `step` does not allocate.
 */
export interface AdamOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
}

export class Adam {
  readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly weightDecay: number;
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;

  constructor(size: number, options: AdamOptions) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One update of `params` in place from `grad` (same length). */
  step(params: Float64Array, grad: Float64Array, lr = this.lr): void {
    this.t += 1;
    const b1 = this.beta1, b2 = this.beta2;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    const sqrtC2 = Math.sqrt(c2);
    const stepSize = lr / c1;
    for (let i = 0; i < params.length; i++) {
      let g = grad[i] as number;
      if (this.weightDecay !== 0) g += this.weightDecay * (params[i] as number);
      const m = b1 * (this.m[i] as number) + (1 - b1) * g;
      const v = b2 * (this.v[i] as number) + (1 - b2) * g * g;
      this.m[i] = m;
      this.v[i] = v;
      // PyTorch: denom = sqrt(v)/sqrt(c2) + eps; p -= (lr/c1) * m / denom
      params[i] = (params[i] as number) - stepSize * m / (Math.sqrt(v) / sqrtC2 + this.eps);
    }
  }

  get steps(): number { return this.t; }
}
