// Package pb holds the protobuf definitions of every Pigeon wire format and
// the Go code generated from them. Nothing else lives here. Each protocol
// has its own .proto file; pigeon.proto holds identity, sessions and direct
// delivery.
//
// Regenerate after editing a .proto file (needs protoc, and protoc-gen-go
// installed with `go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12`):
//
//	go generate ./protocol/pb
package pb

//go:generate sh -c "protoc --go_out=. --go_opt=paths=source_relative *.proto"
