// Multivariate drift: NannyML's data reconstruction error (PCA fitted on the reference). Pure, no I/O.
export * from './symmetricEigen';
export * from './pca';
export * from './tabularEncoding';
export * from './referenceBand';
export * from './reconstructionError';
