package helm

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/ferryhq/ferry/sources/repotree"
)

// Two renders per release cost milliseconds, and most releases do not
// change between two readings: results are kept by the hash of everything
// a render reads (the chart's files, the values, the release's name), with
// each scalar found again by its path in the new reading.

// maxCached bounds the results kept; past it the cache starts over.
const maxCached = 20000

type cached struct {
	images []Image // Source.Node nil: found again by Source.at
	err    error
}

var (
	cacheMu sync.Mutex
	results = map[[sha256.Size]byte]cached{}
)

// ForgetRenders forgets every kept render (benchmarks start cold).
func ForgetRenders() {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	results = map[[sha256.Size]byte]cached{}
}

// key hashes what a render of the release reads; false when a layer cannot
// be written out (then nothing is kept).
func (rel Release) key() ([sha256.Size]byte, bool) {
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field(rel.Name)
	field(rel.Namespace)
	field(rel.Chart.Dir)
	for _, p := range rel.Chart.tree.Under(rel.Chart.Dir) {
		data, _ := rel.Chart.tree.Read(p)
		field(p)
		field(string(data))
	}
	for _, l := range rel.Layers {
		if !hashLayer(h, field, l) {
			return [sha256.Size]byte{}, false
		}
	}
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k, true
}

func hashLayer(h hash.Hash, field func(string), l Layer) bool {
	field(l.File)
	if l.Values != nil {
		text, err := yaml.Marshal(l.Values)
		if err != nil {
			return false
		}
		field(string(text))
	}
	for _, p := range l.Params {
		if p.Value == nil {
			continue
		}
		field(p.Name + "=" + p.Value.Value + "/" + strconv.FormatBool(p.String) + "/" + p.Value.Tag)
	}
	return true
}

// lookup returns a kept render with its scalars found in this reading.
func (rel Release) lookup(k [sha256.Size]byte) ([]Image, error, bool) {
	cacheMu.Lock()
	c, ok := results[k]
	cacheMu.Unlock()
	if !ok {
		return nil, nil, false
	}
	images := make([]Image, len(c.images))
	for i, img := range c.images {
		parts := make(map[string]Source, len(img.Parts))
		for part, s := range img.Parts {
			if s.Node = rel.find(s); s.Node == nil {
				return nil, nil, false // the tree changed in a way the key missed: render
			}
			parts[part] = s
		}
		img.Parts = parts
		images[i] = img
	}
	return images, c.err, true
}

// remember keeps a render without its YAML nodes.
func remember(k [sha256.Size]byte, images []Image, err error) {
	var te *TemplateError
	if err != nil && !errors.As(err, &te) {
		return
	}
	kept := make([]Image, len(images))
	for i, img := range images {
		parts := make(map[string]Source, len(img.Parts))
		for part, s := range img.Parts {
			s.Node = nil
			parts[part] = s
		}
		img.Parts = parts
		kept[i] = img
	}
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if len(results) >= maxCached {
		results = map[[sha256.Size]byte]cached{}
	}
	results[k] = cached{images: kept, err: err}
}

// find finds a source's scalar in this reading of the release.
func (rel Release) find(s Source) *yaml.Node {
	if s.at.param != "" && s.Layer >= 0 && s.Layer < len(rel.Layers) {
		var found *yaml.Node
		for _, p := range rel.Layers[s.Layer].Params {
			if p.Name == s.at.param {
				found = p.Value // the last one wins, as with --set
			}
		}
		return found
	}
	var root *yaml.Node
	switch {
	case s.Layer >= 0 && s.Layer < len(rel.Layers):
		root = rel.Layers[s.Layer].Values
	case s.Layer == ChartValues || s.Layer == ChartMetadata:
		root = rel.Chart.valuesRoot(strings.TrimPrefix(s.File, rel.Chart.prefix()))
	}
	return nodeAtPath(root, s.at.path)
}

// nodeAtPath follows a values path ("a.b[0].c") through mappings and
// sequences.
func nodeAtPath(n *yaml.Node, p string) *yaml.Node {
	for _, seg := range strings.Split(p, ".") {
		key, rest, _ := strings.Cut(seg, "[")
		if n = repotree.Get(n, key); n == nil {
			return nil
		}
		for rest != "" {
			idx, after, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			items := repotree.Items(repotree.ResolveAlias(n))
			if err != nil || i >= len(items) {
				return nil
			}
			n = repotree.ResolveAlias(items[i])
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return n
}
