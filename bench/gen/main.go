// Command gen writes N realistic, distinct liaison statements (about 60 KB
// each, with a .docx cover sheet; or of -big MB each, with a large scanned
// annex) as an mbox file or a Maildir, for the ingest and memory
// benchmarks.
//
//	go run ./bench/gen -n 5000 -mbox /tmp/statements.mbox
//	go run ./bench/gen -n 5000 -maildir /tmp/Maildir
//	go run ./bench/gen -n 10 -big 30 -maildir /tmp/Big
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ietf-tools/liaisond/internal/samplemail"
)

func main() {
	n := flag.Int("n", 5000, "number of statements")
	size := flag.Int("size", 45000, "approximate body text size in bytes")
	mbox := flag.String("mbox", "", "write an mbox file")
	maildir := flag.String("maildir", "", "write a Maildir")
	big := flag.Int("big", 0, "make each statement this many MB (1,000,000 bytes), with a large annex")
	flag.Parse()
	msg := func(i int) []byte {
		if *big > 0 {
			return samplemail.Big(i, *big*1000*1000)
		}
		return samplemail.Statement(i, *size, true)
	}
	switch {
	case *mbox != "":
		f, err := os.Create(*mbox)
		if err != nil {
			log.Fatal(err)
		}
		w := bufio.NewWriter(f)
		for i := 0; i < *n; i++ {
			fmt.Fprintf(w, "From secretariat@example.org Mon Nov 23 09:00:00 2026\n")
			w.Write(msg(i))
			w.WriteString("\n")
		}
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
		f.Close()
	case *maildir != "":
		for _, d := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(*maildir, d), 0o755); err != nil {
				log.Fatal(err)
			}
		}
		for i := 0; i < *n; i++ {
			p := filepath.Join(*maildir, "new", fmt.Sprintf("%d.bench", i))
			if err := os.WriteFile(p, msg(i), 0o644); err != nil {
				log.Fatal(err)
			}
		}
	default:
		log.Fatal("gen: give -mbox FILE or -maildir DIR")
	}
}
