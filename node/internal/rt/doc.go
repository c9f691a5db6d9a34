// Package rt holds what the node's runtime and its feature packages share
// without importing each other: the content kinds and handler signatures of
// the dispatch registry through which decrypted contents reach the feature
// that claimed their kind, conversions between node/core types and the
// protocol's and store's, and small helpers (backoff, sleeping under a
// context). It is internal: embedders never see it.
package rt
