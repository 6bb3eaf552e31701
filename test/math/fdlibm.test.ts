import { describe, expect, it } from 'vitest';
import { exp, log, log1p } from '../../src/math/fdlibm.js';
import { Rng } from '../../src/math/rng.js';

const SPECIAL = [0, -0, 1, -1, 0.5, 2, 1e-300, 5e-324, 2.2250738585072014e-308, 709.78, 709.8, -745.1, -745.2, 1e308, Infinity, -Infinity, Number.NaN];

describe('fdlibm exp, log, log1p', () => {
  it('give the same bits as Node 20 (V8 11, fdlibm) Math.exp/log/log1p on 60 000 random and special inputs', () => {
    const rng = new Rng(11);
    const xs = [...SPECIAL];
    for (let i = 0; i < 20000; i++) xs.push(rng.uniform(-40, 40), rng.uniform(-750, 750), Math.exp(rng.uniform(-700, 700)));
    let diffs = 0;
    for (const x of xs) {
      if (!Object.is(exp(x), Math.exp(x))) diffs++;
      if (!Object.is(log(x), Math.log(x))) diffs++;
      if (!Object.is(log1p(x), Math.log1p(x))) diffs++;
    }
    expect(diffs).toBe(0);
  });

  it('match worked values: exp(1) = E, log(E) = 1, log1p(1e-20) = 1e-20, limits', () => {
    expect(exp(1)).toBe(Math.E);
    expect(log(Math.E)).toBe(1);
    expect(log1p(1e-20)).toBe(1e-20);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(710)).toBe(Infinity);
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log1p(-1)).toBe(-Infinity);
    // ln 2 to double precision (0.6931471805599453) and e^-1 (0.36787944117144233), from any table.
    expect(log(2)).toBe(0.6931471805599453);
    expect(exp(-1)).toBe(0.36787944117144233);
  });
});
