// Types of the sparsity-probe JavaScript API. Settings and results use the key names of the
// results document (SPEC §5), so an exported document's settings can be passed straight back.

export interface Settings {
  trees?: number;            // 3
  depth?: number;            // 15
  seeds?: number;            // 3
  seed?: number;             // 0
  measure?: 'volume' | 'samples';
  eps_low?: number;          // 0.1
  eps_high?: number;         // 0.4
  eps_unit?: 'rad' | 'deg';
  tau_min?: number;          // 0.05
  tau_max?: number;          // 1.99
  tau_step?: number;         // 0.01
  max_features?: string | number; // 'all', 'sqrt', a count or a fraction
  min_samples_leaf?: number;
  bootstrap?: boolean;
  sample_fraction?: number;
  max_bins?: number;         // 2..256
  exact_below?: number;
  mterm_points?: number;
  threads?: number;          // 0: the probe's whole pool; results never depend on it
  // Making large layers smaller, both seeded by `seed` (0 or absent: off):
  max_samples?: number;      // analyse a stratified sample of this many rows
  project_features?: number; // sparse random projection to this many features when there are more
}

// The browser build's limits (README "Limits").
export interface Limits {
  analysedValues: number;    // samples x features analysed per layer (after the reductions)
  inputValues: number;       // samples x features of a layer handed in (before them)
  fileBytes: number;         // bytes of files read together
  budgetBytes: number;       // memory the estimates may use
}

export interface LayerResult {
  name: string;
  samples: number;
  features: number;
  classes: number;
  class_values: number[];
  alpha: number | null;
  alpha_std: number | null;
  alpha_min: number | null;
  alpha_max: number | null;
  alpha_per_seed: (number | null)[];
  tau_star: number | null;
  tau_star_per_seed: (number | null)[];
  analysed_samples?: number;   // when max_samples / project_features reduced the layer:
  analysed_features?: number;  // the shape the probe saw (samples, features: the layer as given)
  status: 'ok' | 'undetermined';
  reason?: string;
  alpha_mterm: number | null;
  alpha_mterm_per_seed: (number | null)[];
  wavelets: number;
  seconds: number;
  curve: { tau: number[]; n_tau: (number | null)[]; log_n_tau: number[]; angle: number[] };
  mterm: { m: number[]; error: number[]; error_at_zero: number };
}

export interface Progress {
  layer: string;
  done: number;
  total: number;
  fraction: number;  // done / total, reaching 1
  seed: number;
  tree: number;      // -1: the wavelet analysis of the seed's forest
}

export interface NamedLayer {
  name: string;
  data: Float32Array;
  shape: [number, number];
}

export interface Diagnostics {
  linear_probe: { train_accuracy: number; heldout_accuracy: number; folds: number };
  kmeans: { clusters: number; adjusted_rand: number; adjusted_mutual_information: number; homogeneity: number;
            completeness: number; fowlkes_mallows: number };
  ncc_mismatch: number;
  ncc_reference: 'predictions' | 'labels';
}

export interface PartitionNode {
  leaf: boolean;
  depth: number;
  feature?: number;      // split feature of an inner node
  threshold?: number;    // normalised; x <= threshold goes left
  low: number[];         // the node's box in normalised coordinates
  high: number[];
  log_norm: number | null;  // log of the wavelet norm; null for the root and zero norms
  rank: number;          // position in the order of decreasing norm, -1 if none
  counts: number[];      // training samples per class (bootstrap multiplicity)
}

export interface Explanation {
  trees: number;
  wavelets: number;
  classes: number;
  minimum: number[];     // per feature: the normalisation's minimum and maximum
  maximum: number[];
  linear_accuracy: number;
  linear_grid: Int32Array;  // the linear probe's class at each cell of the grid
  partitions: PartitionNode[][];  // per tree, nodes in preorder
}

export interface DemoOptions {
  samples?: number;     // 1000
  noise?: number;       // the data set's default
  labelNoise?: number;  // 0..1
  seed?: number;
  classes?: number;     // gaussian-quantiles and random
}

export interface Probe {
  readonly build: 'threads' | 'single';
  readonly threads: number;
  readonly version: string;
  // Seconds the start-up warm-up took (null when skipped; -1 when it failed, e.g. out of memory).
  readonly warmUpSeconds: number | null;
  analyze(request: {
    name?: string;
    data: Float32Array | Float64Array;
    shape: [number, number];
    labels: Int32Array | ArrayLike<number>;
    settings?: Settings;
    onProgress?: (progress: Progress) => void;
    signal?: AbortSignal;
  }): Promise<LayerResult>;
  diagnose(request: {
    name?: string;
    data: Float32Array | Float64Array;
    shape: [number, number];
    labels: Int32Array | ArrayLike<number>;
    predictions?: Int32Array | ArrayLike<number>;
    seed?: number;
    settings?: Settings;   // seed, max_samples, project_features: reduced as analyze reduces
    signal?: AbortSignal;
  }): Promise<Diagnostics>;
  // Resolve when a layer of this shape / files of these sizes fit this build; reject with the
  // core's message (size found, limit, way out) otherwise. Nothing is copied to the worker.
  checkLayer(request: { name?: string; shape: [number, number]; settings?: Settings; signal?: AbortSignal }): Promise<null>;
  checkFiles(files: { fileName: string; size: number }[], control?: { signal?: AbortSignal }): Promise<null>;
  limits(): Promise<Limits>;
  project(request: { name?: string; data: Float32Array | Float64Array; shape: [number, number]; seed?: number; signal?: AbortSignal }):
    Promise<{ coordinates: Float32Array; explained: [number, number] }>;
  explain(request: {
    name?: string;
    data: Float32Array | Float64Array;
    shape: [number, 2];
    labels: Int32Array | ArrayLike<number>;
    settings?: Settings;
    grid?: number;
    signal?: AbortSignal;
  }): Promise<Explanation>;
  approximate(m: number, options?: { grid?: number; signal?: AbortSignal }): Promise<Float32Array>;
  readFile(bytes: Uint8Array | ArrayBuffer, fileName: string, options?: { labels?: string }):
    Promise<{ layers: NamedLayer[]; labels: Int32Array; predictions?: Int32Array }>;
  readFiles(files: { bytes: Uint8Array | ArrayBuffer; fileName: string }[], options?: { labels?: string; signal?: AbortSignal }):
    Promise<{ layers: NamedLayer[]; labels: Int32Array; predictions?: Int32Array }>;
  demo(name: 'spiral' | 'circles' | 'gaussian-quantiles' | 'moons' | 'xor' | 'random', options?: DemoOptions,
       control?: { signal?: AbortSignal }): Promise<{ data: Float32Array; shape: [number, number]; labels: Int32Array; noise: number }>;
  settings(settings?: Settings): Promise<Required<Settings>>;
  close(): void;
}

export interface ProbeOptions {
  threads?: 'auto' | 'threads' | 'single' | boolean;
  maxThreads?: number;            // cap of the worker pool, default 8
  moduleBaseUrl?: string | URL;   // where sparsity-probe-{threads,single}.{js,wasm} are served
  // Probe a small synthetic layer once when the worker starts (default true), so that the
  // engine's optimising compiler has run before the first real layer; false skips it.
  warmUp?: boolean;
}

export function createProbe(options?: ProbeOptions): Promise<Probe>;
