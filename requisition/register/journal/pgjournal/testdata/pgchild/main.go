// Command pgchild is a writer of the PostgreSQL journal for pgjournal's
// multi-process tests: it opens the store at $PGCHILD_DSN (from the
// environment, never the command line), signing with a key derived from
// $PGCHILD_NAME, appends $PGCHILD_N records from $PGCHILD_G goroutines
// (group commit), and prints a line per outcome: "ack <seq> <payload>"
// once an append is acknowledged, "err <payload> <error>" otherwise.
package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/ccjkit/ccjkit/requisition/register/journal/pgjournal"
	"github.com/ccjkit/ccjkit/timesync"
)

func main() {
	name := os.Getenv("PGCHILD_NAME")
	n, _ := strconv.Atoi(os.Getenv("PGCHILD_N"))
	g, _ := strconv.Atoi(os.Getenv("PGCHILD_G"))
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, name)
	s, err := pgjournal.Open(context.Background(), os.Getenv("PGCHILD_DSN"), pgjournal.Options{
		Clock: timesync.SystemClock{}, Signer: ed25519.NewKeyFromSeed(seed), Create: true, Timeout: 30 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	defer s.Close()
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range max(g, 1) {
		wg.Go(func() {
			for i := w; i < n; i += max(g, 1) {
				p := fmt.Sprintf("%s.%d", name, i)
				r, err := s.Append("event", []byte(p))
				mu.Lock()
				if err != nil {
					fmt.Fprintf(out, "err %s %v\n", p, err)
				} else {
					fmt.Fprintf(out, "ack %d %s\n", r.Seq, p)
				}
				out.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
