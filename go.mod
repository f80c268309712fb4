module github.com/ccjkit/ccjkit

go 1.26.0

require (
	github.com/beevik/ntp v1.6.0
	github.com/google/go-cmp v0.7.0
	pgregory.net/rapid v1.3.0
)

require (
	golang.org/x/net v0.59.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
)
