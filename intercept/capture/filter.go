package capture

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"golang.org/x/net/bpf"
)

// MaxFilterInstructions is the most instructions the Linux kernel accepts
// in a classic BPF socket filter (BPF_MAXINSNS).
const MaxFilterInstructions = 4096

// snapAll is what an accepting filter returns: keep the whole packet
// (more than any datagram).
const snapAll = 1 << 18

// ErrFilterTooLarge: the targets need more instructions than the kernel
// takes in one filter.
var ErrFilterTooLarge = errors.New("capture: too many target prefixes for one kernel filter")

// ErrPrefix: a prefix given to Filter (or Live.SetTargets) is not valid.
var ErrPrefix = errors.New("capture: invalid prefix")

// Filter compiles a classic BPF program that accepts an IPv4 or IPv6
// datagram whose source or destination lies in one of prefixes, whole,
// and rejects everything else: other addresses, other protocols, packets
// too short to hold the addresses. The program reads the datagram from
// its first octet, with no link-layer header before it, as a Linux
// SOCK_DGRAM packet socket's filter sees it (Live opens one).
//
// The filter only spares the capture the traffic of others: the pipeline
// still matches every packet it is given against the tasks and their
// windows. Prefixes are masked; those inside another are dropped, and
// IPv4-mapped IPv6 prefixes count as IPv4. With no prefix the program
// rejects everything. More than MaxFilterInstructions instructions — some
// 500 IPv4 or 250 IPv6 prefixes — give ErrFilterTooLarge; an invalid
// prefix gives ErrPrefix.
func Filter(prefixes []netip.Prefix) ([]bpf.Instruction, error) {
	var v4, v6 []netip.Prefix
	for _, p := range prefixes {
		if !p.IsValid() {
			return nil, fmt.Errorf("%w: the filter was given a prefix that is not valid", ErrPrefix)
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		p = p.Masked()
		if p.Addr().Is4() {
			v4 = append(v4, p)
		} else {
			v6 = append(v6, p)
		}
	}
	v4, v6 = outermost(v4), outermost(v6)

	var b4, b6 []bpf.Instruction
	for _, field := range []uint32{12, 16} { // IPv4 source, destination
		for _, p := range v4 {
			b4 = appendMatch(b4, p, field)
		}
	}
	b4 = append(b4, bpf.RetConstant{Val: 0})
	for _, field := range []uint32{8, 24} { // IPv6 source, destination
		for _, p := range v6 {
			b6 = appendMatch(b6, p, field)
		}
	}
	b6 = append(b6, bpf.RetConstant{Val: 0})

	prog := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 1},
		bpf.ALUOpConstant{Op: bpf.ALUOpShiftRight, Val: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 4, SkipTrue: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: 6, SkipTrue: 2},
		bpf.RetConstant{Val: 0},
		bpf.Jump{Skip: 1},               // to the IPv4 block
		bpf.Jump{Skip: uint32(len(b4))}, // over it, to the IPv6 block
	}
	prog = append(append(prog, b4...), b6...)
	if len(prog) > MaxFilterInstructions {
		return nil, fmt.Errorf("%w: %d IPv4 and %d IPv6 prefixes need %d instructions, the kernel takes %d",
			ErrFilterTooLarge, len(v4), len(v6), len(prog), MaxFilterInstructions)
	}
	return prog, nil
}

// appendMatch appends the test of one address field against p: a
// comparison per 32-bit word, then "accept"; a word that differs jumps
// past the accept.
func appendMatch(prog []bpf.Instruction, p netip.Prefix, field uint32) []bpf.Instruction {
	bits := p.Bits()
	if bits == 0 {
		return append(prog, bpf.RetConstant{Val: snapAll})
	}
	a := p.Addr().AsSlice()
	words := (bits + 31) / 32
	// Each word is a load, perhaps a mask, and a comparison; count them
	// first so that a mismatch knows how far the accept is.
	size := 0
	for i := range words {
		size += 2
		if bits-32*i < 32 {
			size++
		}
	}
	at := 0
	for i := range words {
		w := uint32(a[4*i])<<24 | uint32(a[4*i+1])<<16 | uint32(a[4*i+2])<<8 | uint32(a[4*i+3])
		prog = append(prog, bpf.LoadAbsolute{Off: field + uint32(4*i), Size: 4})
		at++
		if n := bits - 32*i; n < 32 {
			m := ^uint32(0) << (32 - n)
			prog = append(prog, bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: m})
			w &= m
			at++
		}
		at++
		// A mismatch skips the rest of this prefix's words and its accept.
		prog = append(prog, bpf.JumpIf{Cond: bpf.JumpEqual, Val: w, SkipFalse: uint8(size - at + 1)})
	}
	return append(prog, bpf.RetConstant{Val: snapAll})
}

// outermost sorts ps and drops duplicates and prefixes inside another.
func outermost(ps []netip.Prefix) []netip.Prefix {
	slices.SortFunc(ps, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].Bits() <= p.Bits() && out[n-1].Contains(p.Addr()) {
			continue
		}
		out = append(out, p)
	}
	return out
}
