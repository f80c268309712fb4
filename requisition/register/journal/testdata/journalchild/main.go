// Command journalchild is the child process of the multi-process tests of
// package register: it opens a journal and appends to it until it is
// killed.
//
//	journalchild PATH NAME WRITERS
//
// It signs with a key of its own, printed first ("key <hex>", just before
// Open), then appends from WRITERS goroutines records whose payload starts
// with "<NAME>.w<writer>.<n> " followed by 0 to 6,000 bytes, and prints
// "ack <seq> <id>" once each Append has returned. With 0 writers it exits
// after Open.
package main

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
	"github.com/ccjkit/ccjkit/timesync"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: journalchild PATH NAME WRITERS")
		os.Exit(2)
	}
	path, name := os.Args[1], os.Args[2]
	writers, err := strconv.Atoi(os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	// Each line is one write(2) of less than PIPE_BUF: whole in the pipe
	// whatever moment the kill comes.
	fmt.Printf("key %x\n", pub)
	j, rep, err := journal.Open(path, journal.Options{Clock: timesync.SystemClock{}, Signer: key})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	fmt.Printf("open %d %d\n", rep.Records, rep.TornBytes)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("%s.w%d.%d", name, w, i)
				payload := append([]byte(id+" "), bytes.Repeat([]byte{'.'}, rand.IntN(6000))...)
				r, err := j.Append("event", payload)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(4)
				}
				fmt.Printf("ack %d %s\n", r.Seq, id)
			}
		})
	}
	wg.Wait()
	j.Close()
}
