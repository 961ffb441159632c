package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// demoRegistry is a go-containerregistry registry served on loopback.
type demoRegistry struct {
	Host    string       // "127.0.0.1:PORT"
	handler http.Handler // the registry itself: the world's own reads and writes
	faults  *faults      // what ferry talks to, over the socket
	server  *http.Server
	done    chan struct{}
}

// startRegistry listens on a free loopback port; nothing else is opened.
func startRegistry() (*demoRegistry, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo registry: cannot listen on 127.0.0.1: %w", err)
	}
	h := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	fs := &faults{next: h}
	r := &demoRegistry{
		Host:    l.Addr().String(),
		handler: h,
		faults:  fs,
		server:  &http.Server{Handler: fs, ReadHeaderTimeout: 10 * time.Second},
		done:    make(chan struct{}),
	}
	go func() {
		defer close(r.done)
		_ = r.server.Serve(l)
	}()
	return r, nil
}

// Close stops the server and waits until its port is released.
func (r *demoRegistry) Close() error {
	err := r.server.Close()
	<-r.done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Repository is the repository of an app, such as "127.0.0.1:5000/shop/cart".
func (r *demoRegistry) Repository(app string) string { return r.Host + "/shop/" + app }

// options talk to the registry in process: the world's own writes and reads
// need no socket, so they are fast and never race the server's shutdown.
func (r *demoRegistry) options(ctx context.Context) []remote.Option {
	return []remote.Option{remote.WithContext(ctx), remote.WithTransport(inProcess{r.handler})}
}

// inProcess is an http.RoundTripper that serves requests with a handler.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	in := req.Clone(req.Context())
	if in.Body == nil {
		in.Body = http.NoBody // a server request always has a body
	}
	t.h.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// pushBuilds pushes every build of every app, each app's oldest first (a
// rebuilt tag is pushed last, so the tag moves to it), apps in parallel.
func (r *demoRegistry) pushBuilds(ctx context.Context, seed int64, sources map[string]*sourceRepo) (map[string][]build, error) {
	results := make([][]build, len(appPlans))
	errs := make([]error, len(appPlans))
	var wg sync.WaitGroup
	for i, app := range appPlans {
		wg.Go(func() { results[i], errs[i] = r.pushApp(ctx, app, seed, sources[app.Name].revisions) })
	}
	wg.Wait()
	out := map[string][]build{}
	for i, app := range appPlans {
		out[app.Name] = results[i]
	}
	return out, errors.Join(errs...)
}

func (r *demoRegistry) pushApp(ctx context.Context, app appPlan, seed int64, revisions []string) ([]build, error) {
	var out []build
	for n := 0; n < app.buildCount(); n++ {
		spec := buildSpec{App: app, N: n, Seed: seed, Revision: revisions[n]}
		b, err := r.push(ctx, spec)
		if err != nil {
			return nil, fmt.Errorf("demo registry: push %s %s: %w", app.Name, app.version(n), err)
		}
		out = append(out, b)
	}
	return out, nil
}

func (r *demoRegistry) push(ctx context.Context, s buildSpec) (build, error) {
	tag, err := name.NewTag(r.Repository(s.App.Name)+":"+s.App.version(s.N), name.Insecure)
	if err != nil {
		return build{}, err
	}
	b := build{Version: s.App.version(s.N), Revision: s.Revision}
	if !s.App.MultiArch {
		img, err := s.image(platforms[0])
		if err != nil {
			return build{}, err
		}
		d, err := img.Digest()
		if err != nil {
			return build{}, err
		}
		b.Digest, b.Platform = d.String(), d.String()
		return b, remote.Write(tag, img, r.options(ctx)...)
	}
	idx, err := s.index()
	if err != nil {
		return build{}, err
	}
	d, err := idx.Digest()
	if err != nil {
		return build{}, err
	}
	b.Digest, b.Index = d.String(), true
	b.Platform, err = amd64Child(idx)
	if err != nil {
		return build{}, err
	}
	return b, remote.WriteIndex(tag, idx, r.options(ctx)...)
}

// amd64Child returns the linux/amd64 manifest digest of an index.
func amd64Child(idx v1.ImageIndex) (string, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return "", err
	}
	for _, d := range m.Manifests {
		if d.Platform != nil && d.Platform.OS == "linux" && d.Platform.Architecture == "amd64" {
			return d.Digest.String(), nil
		}
	}
	return "", errors.New("the index has no linux/amd64 manifest")
}

// artifact is what the controller needs to know of a reference it deploys.
type artifact struct {
	Digest   string
	Index    bool
	Platform string
}

// resolve asks the registry what a reference names now: the digest a tag
// points at, and for an index its linux/amd64 child.
func (r *demoRegistry) resolve(ctx context.Context, ref string) (artifact, error) {
	parsed, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return artifact{}, err
	}
	desc, err := remote.Get(parsed, r.options(ctx)...)
	if err != nil {
		return artifact{}, err
	}
	a := artifact{Digest: desc.Digest.String(), Platform: desc.Digest.String()}
	if !desc.MediaType.IsIndex() {
		return a, nil
	}
	idx, err := desc.ImageIndex()
	if err != nil {
		return artifact{}, err
	}
	a.Index = true
	a.Platform, err = amd64Child(idx)
	return a, err
}
