package delivery

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Size limits of the protocol.
const (
	// MaxFrameSize bounds one encoded Envelope.
	MaxFrameSize = 256 << 10
	// MaxCiphertextSize bounds the ciphertext inside it.
	MaxCiphertextSize = MaxFrameSize - 1024
	// maxAckSize bounds one encoded EnvelopeAck.
	maxAckSize = 64
	// maxCertSize bounds the sender certificate.
	maxCertSize = 1024
)

// Signal message types carried in Envelope.type.
const (
	TypeSignal       = 2 // SignalMessage
	TypePreKeySignal = 3 // PreKeySignalMessage
)

// DecodeEnvelope decodes and checks one frame.
func DecodeEnvelope(b []byte) (*pb.Envelope, error) {
	if len(b) > MaxFrameSize {
		return nil, fmt.Errorf("decode envelope: %w: %d bytes", ErrTooLarge, len(b))
	}
	var env pb.Envelope
	if err := proto.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("decode envelope: %w: %v", ErrMalformed, err)
	}
	if err := CheckEnvelope(&env); err != nil {
		return nil, fmt.Errorf("decode envelope: %w", err)
	}
	return &env, nil
}

// CheckEnvelope checks the fields of an envelope.
func CheckEnvelope(env *pb.Envelope) error {
	switch {
	case len(env.MessageId) != 16:
		return fmt.Errorf("%w: message id is %d bytes", ErrMalformed, len(env.MessageId))
	case len(env.SenderAccount) != 32 || len(env.RecipientAccount) != 32:
		return fmt.Errorf("%w: account keys must be 32 bytes", ErrMalformed)
	case env.SenderDevice == 0 || env.RecipientDevice == 0:
		return fmt.Errorf("%w: device id 0", ErrMalformed)
	case env.Type != TypeSignal && env.Type != TypePreKeySignal:
		return fmt.Errorf("%w: unknown type %d", ErrMalformed, env.Type)
	case len(env.Ciphertext) == 0:
		return fmt.Errorf("%w: empty ciphertext", ErrMalformed)
	case len(env.Ciphertext) > MaxCiphertextSize:
		return fmt.Errorf("%w: ciphertext %d bytes", ErrTooLarge, len(env.Ciphertext))
	case env.Type == TypePreKeySignal && env.SenderCertificate == nil:
		return fmt.Errorf("%w: prekey message without sender certificate", ErrMalformed)
	case env.SenderCertificate != nil && len(env.SenderCertificate.Body)+len(env.SenderCertificate.Signature) > maxCertSize:
		return fmt.Errorf("%w: sender certificate", ErrTooLarge)
	}
	return nil
}

// DecodeAck decodes and checks one ack frame.
func DecodeAck(b []byte) (*pb.EnvelopeAck, error) {
	if len(b) > maxAckSize {
		return nil, fmt.Errorf("decode ack: %w: %d bytes", ErrTooLarge, len(b))
	}
	var ack pb.EnvelopeAck
	if err := proto.Unmarshal(b, &ack); err != nil {
		return nil, fmt.Errorf("decode ack: %w: %v", ErrMalformed, err)
	}
	if len(ack.MessageId) != 16 {
		return nil, fmt.Errorf("decode ack: %w: message id is %d bytes", ErrMalformed, len(ack.MessageId))
	}
	if _, ok := pb.ErrorCode_name[int32(ack.Code)]; !ok {
		return nil, fmt.Errorf("decode ack: %w: unknown code %d", ErrMalformed, ack.Code)
	}
	return &ack, nil
}
