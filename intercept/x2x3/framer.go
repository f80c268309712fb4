package x2x3

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
)

// DefaultMaxPDU is the Framer's default bound on a PDU's size.
const DefaultMaxPDU = 1 << 17

// Framer splits a byte stream (an X2 or X3 connection) into PDUs: each
// header says how long the header and the payload are.
type Framer struct {
	r   *bufio.Reader
	max int
	off int64
	buf []byte
}

// NewFramer returns a Framer reading r, refusing PDUs larger than max
// octets (DefaultMaxPDU when max <= 0).
func NewFramer(r io.Reader, max int) *Framer {
	if max <= 0 {
		max = DefaultMaxPDU
	}
	if max < HeaderLen+8 {
		max = HeaderLen + 8 // a keep-alive: the header and a sequence number
	}
	return &Framer{r: bufio.NewReaderSize(r, min(64<<10, max)), max: max}
}

// Offset returns the stream offset of the next PDU's first octet.
func (f *Framer) Offset() int64 { return f.off }

// Next returns the next PDU's octets, valid until the following call; it
// checks only the lengths (Decode checks the rest). At the end of the
// stream, between PDUs, it returns io.EOF; a stream ending inside a PDU
// gives ErrTruncated, a PDU above the limit ErrTooLarge, a header length
// below 40 ErrLength, each in an *Error with the stream offset.
func (f *Framer) Next() ([]byte, error) {
	hdr, err := f.r.Peek(12)
	if len(hdr) == 0 && errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if len(hdr) < 12 {
		if err == nil || errors.Is(err, io.EOF) {
			return nil, decErr(f.off+int64(len(hdr)), "header", ErrTruncated, "the stream ends inside a header")
		}
		return nil, err
	}
	hl, pl := binary.BigEndian.Uint32(hdr[4:]), binary.BigEndian.Uint32(hdr[8:])
	if hl < HeaderLen {
		return nil, decErr(f.off+4, "header.headerLength", ErrLength, "%d, below %d", hl, HeaderLen)
	}
	total := uint64(hl) + uint64(pl)
	if total > uint64(f.max) {
		return nil, decErr(f.off, "header", ErrTooLarge, "%d octets, the limit is %d", total, f.max)
	}
	if cap(f.buf) < int(total) {
		f.buf = make([]byte, total)
	}
	f.buf = f.buf[:total]
	if n, err := io.ReadFull(f.r, f.buf); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, decErr(f.off+int64(n), "payload", ErrTruncated, "the stream ends inside a PDU")
		}
		return nil, err
	}
	f.off += int64(total)
	return f.buf, nil
}
