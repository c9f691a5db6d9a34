package backup

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options says how to reach an S3-compatible store.
type S3Options struct {
	Endpoint                           string // host[:port]; empty: s3.amazonaws.com
	Region                             string
	AccessKey, SecretKey, SessionToken string
	// PathStyle selects path-style addressing (MinIO, Garage, Ceph);
	// otherwise virtual-host addressing (bucket.endpoint, AWS, R2).
	PathStyle bool
	// Insecure uses plain http (loopback tests); the default is https.
	Insecure bool
	// RootCAs, when set, is the pool of CAs trusted for the endpoint
	// (it replaces the system pool: build it from x509.SystemCertPool to
	// keep those).
	RootCAs *x509.CertPool
}

// s3Dial, when set (tests only), replaces the transport's dialer, so a
// virtual-host name like bucket.pigeon.test reaches a loopback server.
var s3Dial func(ctx context.Context, network, addr string) (net.Conn, error)

type s3Target struct {
	c      *minio.Client
	bucket string
	prefix string // "" or ends with "/"
	loc    string
}

// NewS3 returns a Target storing objects in bucket under prefix, through
// minio-go (which speaks to every S3-compatible store). It does no I/O.
// A PUT of a whole object is atomic in S3, so every Put is.
func NewS3(bucket, prefix string, o S3Options) (Target, error) {
	if err := validBucket(bucket); err != nil {
		return nil, fmt.Errorf("s3 target: %w", err)
	}
	prefix = strings.Trim(prefix, "/")
	if prefix != "" {
		if err := validName(prefix); err != nil {
			return nil, fmt.Errorf("s3 target: prefix: %w", err)
		}
		prefix += "/"
	}
	endpoint := strings.TrimSuffix(o.Endpoint, "/")
	if rest, ok := strings.CutPrefix(endpoint, "https://"); ok {
		endpoint = rest
	} else if rest, ok := strings.CutPrefix(endpoint, "http://"); ok {
		if !o.Insecure {
			return nil, fmt.Errorf("s3 target: endpoint %s is plain http: set Insecure to allow it (loopback only)", o.Endpoint)
		}
		endpoint = rest
	}
	if endpoint == "" {
		endpoint = "s3.amazonaws.com"
	}
	tr, err := minio.DefaultTransport(!o.Insecure)
	if err != nil {
		return nil, fmt.Errorf("s3 target: %w", err)
	}
	if o.RootCAs != nil {
		if tr.TLSClientConfig == nil {
			tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
		}
		tr.TLSClientConfig.RootCAs = o.RootCAs
	}
	tr.ResponseHeaderTimeout = 2 * time.Minute
	if s3Dial != nil {
		tr.DialContext = s3Dial
	}
	lookup := minio.BucketLookupDNS
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(o.AccessKey, o.SecretKey, o.SessionToken),
		Secure:       !o.Insecure,
		Transport:    tr,
		Region:       o.Region,
		BucketLookup: lookup,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 target %s: %w", endpoint, err)
	}
	scheme := "https"
	if o.Insecure {
		scheme = "http"
	}
	return &s3Target{c: c, bucket: bucket, prefix: prefix,
		loc: fmt.Sprintf("s3://%s/%s (%s://%s)", bucket, strings.TrimSuffix(prefix, "/"), scheme, endpoint)}, nil
}

func (s *s3Target) String() string { return s.loc }

func (s *s3Target) Put(ctx context.Context, name string, data []byte) error {
	if err := validName(name); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	_, err := s.c.PutObject(ctx, s.bucket, s.prefix+name, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: "application/octet-stream", DisableMultipart: true})
	if err != nil {
		return fmt.Errorf("put %s to %s: %w", name, s.loc, err)
	}
	return nil
}

func (s *s3Target) Get(ctx context.Context, name string) ([]byte, error) {
	if err := validName(name); err != nil {
		return nil, fmt.Errorf("get: %w", err)
	}
	obj, err := s.c.GetObject(ctx, s.bucket, s.prefix+name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.getErr(name, err)
	}
	defer obj.Close()
	st, err := obj.Stat()
	if err != nil {
		return nil, s.getErr(name, err)
	}
	if st.Size > maxObjectSize {
		return nil, fmt.Errorf("get %s: %d bytes, more than %d: %w", name, st.Size, maxObjectSize, ErrCorrupt)
	}
	b, err := readAllLimit(obj, make([]byte, 0, st.Size), maxObjectSize)
	if err != nil {
		return nil, s.getErr(name, err)
	}
	return b, nil
}

func (s *s3Target) getErr(name string, err error) error {
	if code := minio.ToErrorResponse(err).Code; code == "NoSuchKey" || code == "NotFound" {
		return fmt.Errorf("get %s: %w", name, ErrNotFound)
	}
	return fmt.Errorf("get %s from %s: %w", name, s.loc, err)
}

func (s *s3Target) List(ctx context.Context, prefix string) ([]Object, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops minio-go's listing goroutine if we return early
	var out []Object
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("list %s in %s: %w", prefix, s.loc, o.Err)
		}
		out = append(out, Object{Name: strings.TrimPrefix(o.Key, s.prefix), Size: o.Size, Modified: o.LastModified})
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list %s in %s: %w", prefix, s.loc, err)
	}
	return out, nil
}

func (s *s3Target) Delete(ctx context.Context, name string) error {
	if err := validName(name); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	err := s.c.RemoveObject(ctx, s.bucket, s.prefix+name, minio.RemoveObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != "NoSuchKey" {
		return fmt.Errorf("delete %s from %s: %w", name, s.loc, err)
	}
	return nil
}
