// Package pdf prints an indemnity claim as a PDF, for the post or a
// signature. It is kept apart from package indemnity so that programs that
// only price and export claims do not depend on a PDF library.
//
// It uses codeberg.org/go-pdf/fpdf: pure Go (no cgo, no external program),
// maintained at its new home since the GitHub repository was archived in
// 2025, able to embed a TrueType font subset so that French, Dutch and
// German accents and the euro sign print on any reader. The font is the Go
// font family (golang.org/x/image/font/gofont, BSD licence), which covers
// Latin-1, Latin Extended-A and €; nothing is read from the system.
package pdf
