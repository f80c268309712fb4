// Package strictjson decodes JSON the way ccjkit's formats require: a size
// limit, no unknown fields (compared exactly, not case-insensitively as
// encoding/json does), no trailing data, and every problem reported with the
// path of the field at fault — all of them, not only the first.
//
// Its errors are *provenance.Problems in the caller's name: each problem is
// a [provenance.Finding] of rule "decode" wrapping the caller's sentinel,
// so that a caller inspects every decoding error of ccjkit, and of its own
// files decoded with it, with one errors.As. Problems name the field and
// what it needs, never the value found, which may be secret.
//
// It is public so that a program built on ccjkit (examples/desk is one)
// reads its own files as strictly as ccjkit reads its formats.
package strictjson
