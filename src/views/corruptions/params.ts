/**
 * Severity tables of the corruptions (views-and-corruptions spec §2.1): CIFAR-10-C
 * (hendrycks/robustness make_cifar_c.py, for 32×32 RGB) and MNIST-C (google-research/mnist-c, whose
 * five levels equal ImageNet-C's 224×224 table; elastic rescaled to 28 px). Hendrycks & Dietterich 2019,
 * arXiv:1903.12261; Mu & Gilmer 2019, arXiv:1906.02337.
 */

/** Which severity table: 'cifar' (CIFAR-10-C) or 'mnist' (MNIST-C = ImageNet-C levels). */
export type SeverityTable = 'cifar' | 'mnist';

/** The five levels of one parameter set, severity 1 first. */
type Levels<T> = readonly [T, T, T, T, T];

/** Both tables for one corruption. */
interface TablePair<T> { readonly cifar: Levels<T>; readonly mnist: Levels<T> }

/** gaussian_noise: σ in the f domain. */
export const GAUSSIAN_NOISE: TablePair<number> = { cifar: [0.04, 0.06, 0.08, 0.09, 0.10], mnist: [0.08, 0.12, 0.18, 0.26, 0.38] };
/** shot_noise: photons c (k ~ Poisson(x·c), out = k/c). */
export const SHOT_NOISE: TablePair<number> = { cifar: [500, 250, 100, 75, 50], mnist: [60, 25, 12, 5, 3] };
/** impulse_noise: fraction of elements replaced by salt or pepper. */
export const IMPULSE_NOISE: TablePair<number> = { cifar: [0.01, 0.02, 0.03, 0.05, 0.07], mnist: [0.03, 0.06, 0.09, 0.17, 0.27] };
/** defocus_blur: [disk radius, alias σ]. */
export const DEFOCUS_BLUR: TablePair<readonly [number, number]> = {
  cifar: [[0.3, 0.4], [0.4, 0.5], [0.5, 0.6], [1, 0.2], [1.5, 0.1]],
  mnist: [[3, 0.1], [4, 0.5], [6, 0.5], [8, 0.5], [10, 0.5]],
};
/** motion_blur: [radius, σ] (ImageMagick MotionBlurImage); angle ~ U(−45°, 45°). */
export const MOTION_BLUR: TablePair<readonly [number, number]> = {
  cifar: [[6, 1], [6, 1.5], [6, 2], [8, 2], [9, 2.5]],
  mnist: [[10, 3], [15, 5], [15, 8], [15, 12], [20, 15]],
};
/** zoom_blur: [number of zoom factors, step]; the factors are 1 + k·step, k = 0..count−1. */
export const ZOOM_BLUR: TablePair<readonly [number, number]> = {
  cifar: [[7, 0.01], [12, 0.01], [16, 0.01], [21, 0.01], [26, 0.01]],
  mnist: [[12, 0.01], [16, 0.01], [11, 0.02], [13, 0.02], [11, 0.03]],
};
/** contrast: factor c towards the mean. */
export const CONTRAST: TablePair<number> = { cifar: [0.75, 0.5, 0.4, 0.3, 0.15], mnist: [0.4, 0.3, 0.2, 0.1, 0.05] };
/** brightness: c added to HSV value. */
export const BRIGHTNESS: TablePair<number> = { cifar: [0.05, 0.1, 0.15, 0.2, 0.3], mnist: [0.1, 0.2, 0.3, 0.4, 0.5] };
/** pixelate: side factor (intermediate side = trunc(N·c)). */
export const PIXELATE: TablePair<number> = { cifar: [0.95, 0.9, 0.85, 0.75, 0.65], mnist: [0.6, 0.5, 0.4, 0.3, 0.25] };
/** jpeg_compression: IJG quality. */
export const JPEG_QUALITY: TablePair<number> = { cifar: [80, 65, 58, 50, 40], mnist: [25, 18, 15, 10, 7] };
/** elastic_transform: [α, σ, affine] in pixels. */
export const ELASTIC: TablePair<readonly [number, number, number]> = {
  cifar: [[0, 0, 2.56], [1.6, 6.4, 2.24], [2.56, 1.92, 1.92], [3.2, 1.28, 1.6], [3.2, 0.96, 0.96]],
  mnist: [[56, 19.6, 2.8], [56, 2.24, 5.6], [1.4, 0.28, 0.56], [1.96, 0.28, 0.56], [3.36, 0.28, 0.56]],
};
/** fog: [strength, wibble decay]. */
export const FOG: TablePair<readonly [number, number]> = {
  cifar: [[0.2, 3], [0.5, 3], [0.75, 2.5], [1, 2], [1.5, 1.75]],
  mnist: [[1.5, 2], [2, 2], [2.5, 1.7], [2.5, 1.5], [3, 1.4]],
};

/** The level for `severity` (1..5) of `table`. */
export function level<T>(pair: TablePair<T>, table: SeverityTable, severity: number): T {
  return pair[table][severity - 1] as T;
}
