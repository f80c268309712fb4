package etsi

import (
	"bufio"
	"errors"
	"io"
)

// DefaultMaxPDU is the Framer's default bound on a PDU's size: a jumbo IP
// packet of 64 KiB with its headers fits.
const DefaultMaxPDU = 1 << 17

// Framer splits a byte stream — a handover connection, a capture file's
// reassembled payload — into PS-PDUs. On TCP the PDUs follow one another
// with nothing between them: each is a BER SEQUENCE whose definite length
// says where it ends (TS 102 232-1 delivers them so, and OpenLI frames
// them so).
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
	return &Framer{r: bufio.NewReaderSize(r, min(64<<10, max)), max: max}
}

// Offset returns the stream offset of the next PDU's first octet.
func (f *Framer) Offset() int64 { return f.off }

// Next returns the next PDU's octets, valid until the following call. At
// the end of the stream, between PDUs, it returns io.EOF; a stream that
// ends inside a PDU gives an *Error wrapping ErrTruncated, a PDU larger
// than the limit one wrapping ErrTooLarge, and anything but a SEQUENCE one
// wrapping ErrTag — each with the stream offset. After an error the
// stream's framing is lost: close the connection.
func (f *Framer) Next() ([]byte, error) {
	hdr, err := f.r.Peek(2)
	if len(hdr) == 0 && errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if len(hdr) < 2 {
		return nil, f.fail(err, 0, "inside a PDU's identifier and length")
	}
	if hdr[0] != tagSequence {
		return nil, derr(f.off, "PS-PDU", ErrTag, "identifier 0x%02x, want a SEQUENCE (0x30)", hdr[0])
	}
	n, h := int(hdr[1]), 2
	switch {
	case n == 0x80:
		return nil, derr(f.off+1, "PS-PDU", ErrSyntax, "indefinite length (not supported)")
	case n > 0x80:
		k := n & 0x7F
		if k > 4 {
			return nil, derr(f.off+1, "PS-PDU", ErrTooLarge, "a length of %d octets", k)
		}
		hdr, err = f.r.Peek(2 + k)
		if len(hdr) < 2+k {
			return nil, f.fail(err, 1, "inside a PDU's length")
		}
		var v uint64 // 64 bits: four length octets overflow a 32-bit int
		for _, c := range hdr[2:] {
			v = v<<8 | uint64(c)
		}
		h += k
		if uint64(h)+v > uint64(f.max) {
			return nil, derr(f.off, "PS-PDU", ErrTooLarge, "%d octets, the limit is %d", v, f.max)
		}
		n = int(v)
	}
	total := h + n
	if total > f.max {
		return nil, derr(f.off, "PS-PDU", ErrTooLarge, "%d octets, the limit is %d", total, f.max)
	}
	if total <= f.r.Size() {
		// The PDU fits the read buffer: hand out the buffered octets
		// themselves rather than a copy (valid until the next call, as
		// bufio's Peek and Next's contract both say).
		b, err := f.r.Peek(total)
		if len(b) < total {
			f.off += int64(len(b))
			f.r.Discard(len(b))
			return nil, f.fail(err, 0, "inside a PDU")
		}
		f.r.Discard(total)
		f.off += int64(total)
		return b, nil
	}
	if cap(f.buf) < total {
		f.buf = make([]byte, total)
	}
	f.buf = f.buf[:total]
	if m, err := io.ReadFull(f.r, f.buf); err != nil {
		f.off += int64(m)
		return nil, f.fail(err, 0, "inside a PDU")
	}
	f.off += int64(total)
	return f.buf, nil
}

func (f *Framer) fail(err error, at int64, detail string) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return derr(f.off+at, "PS-PDU", ErrTruncated, "the stream ends %s", detail)
	}
	return err
}
