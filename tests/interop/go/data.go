// The data the Go senders share: the services' resources, exact times, and
// the awkward text and values every signal carries.
package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
)

// t0 makes timestamps exact: the nanoseconds matter.
var t0 = time.Unix(1732480000, 123456789)

// at is t0 plus ns nanoseconds.
func at(ns int64) time.Time { return t0.Add(time.Duration(ns)) }

// serviceResources are a frontend with attributes of several types, a
// backend whose name is not ASCII, and one without service.name (the backend
// writes "unknown"); each carries the run id, which tells the comparison
// which stored events are the run's. resource.NewSchemaless adds none of the
// SDK's defaults (which would give the third one a service.name).
func serviceResources(prefix, runID string) (frontend, backend, anonymous *resource.Resource) {
	frontend = resource.NewSchemaless(
		attribute.String("service.name", prefix+"-frontend"),
		attribute.String("service.version", "1.2.3"),
		attribute.String("test.run_id", runID),
		attribute.Int("host.cores", 8),
		attribute.Float64("host.load", 0.25),
		attribute.StringSlice("host.arch.list", []string{"amd64", "arm64"}),
		attribute.Bool("feature.enabled", true),
	)
	backend = resource.NewSchemaless(
		attribute.String("service.name", prefix+"-backend \u00e9\u00e8 \u670d\u52a1"),
		attribute.String("test.run_id", runID),
	)
	anonymous = resource.NewSchemaless(
		attribute.String("test.run_id", runID),
		attribute.String("service.instance.id", prefix+"-anonymous-1"),
	)
	return frontend, backend, anonymous
}

// awkward are keys and values that need escaping or are not ASCII. Go
// strings can hold invalid UTF-8, but protobuf refuses to marshal it: the
// exporter would fail the whole batch, so there is none here.
var awkward = [][2]string{
	{"quote\"key", "a \"quoted\" value"},
	{"back\\slash", "C:\\temp\\new"},
	{"ctl\x01\x1fkey", "bell\x07 esc\x1b nul\x00 end"},
	{"new\nline", "line1\nline2\r\n\ttabbed"},
	{"del\x7fkey", "del\x7f"},
	{"ls\u2028ps\u2029", "separators \u2028 \u2029"},
	{"slash/</script>", "</script><!--"},
	{"\u30ad\u30fc", "\u65e5\u672c\u8a9e\u306e\u5024"},
	{"emoji.\U0001f680", "\U0001f389\U0001f468\u200d\U0001f469\u200d\U0001f467 family"},
	{"combining", "cafe\u0301 n\u0303 a\u030a"},
	{"bidi", "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"},
}

func awkwardAttributes() []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, len(awkward))
	for _, kv := range awkward {
		out = append(out, attribute.String(kv[0], kv[1]))
	}
	return out
}

// everyValueType is every attribute type of the Go API: int64 at its edges,
// doubles at the edges of their range, NaN, infinities and -0, booleans and
// the slices, bytes, maps and the empty value of v1.47.
func everyValueType() []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.String("str", "value"),
		attribute.String("str.empty", ""),
		attribute.Int64("int", 42),
		attribute.Int64("int.negative", -7),
		attribute.Int64("int.zero", 0),
		attribute.Int64("int.max", math.MaxInt64),
		attribute.Int64("int.min", math.MinInt64),
		attribute.Int64("int.2^53+1", 1<<53+1),
		attribute.Float64("double", 3.14159),
		attribute.Float64("double.negative", -0.5),
		attribute.Float64("double.negative_zero", math.Copysign(0, -1)),
		attribute.Float64("double.integral", 3),
		attribute.Float64("double.tiny", 5e-324),
		attribute.Float64("double.small", 1e-7),
		attribute.Float64("double.big", math.MaxFloat64),
		attribute.Float64("double.third", 1.0/3),
		attribute.Float64("double.nan", math.NaN()),
		attribute.Float64("double.inf", math.Inf(1)),
		attribute.Float64("double.-inf", math.Inf(-1)),
		attribute.Bool("bool.true", true),
		attribute.Bool("bool.false", false),
		attribute.StringSlice("array.str", []string{"a", "", "\u00e9", "x\"y"}),
		attribute.Int64Slice("array.int", []int64{1, -2, 3, math.MaxInt64}),
		attribute.Float64Slice("array.double", []float64{0.5, -1.25, 1e-7, 2.5e300, math.NaN()}),
		attribute.BoolSlice("array.bool", []bool{true, false, true}),
		attribute.StringSlice("array.empty", []string{}),
		attribute.String("long.string", strings.Repeat("x", 10000)+"\u672b"),
		attribute.ByteSlice("bytes", []byte{0xde, 0xad, 0xbe, 0xef}),
		attribute.ByteSlice("bytes.empty", []byte{}),
		attribute.Map("map", attribute.Int("a", 1), attribute.Map("b", attribute.String("c", "d"),
			attribute.Slice("e", attribute.Float64Value(1.5), attribute.StringValue("f")))),
		attribute.Map("map.empty"),
		attribute.Slice("array.mixed", attribute.IntValue(1), attribute.StringValue("a"), attribute.BoolValue(true),
			attribute.Float64Value(2.5), attribute.Value{}),
		attribute.Slice("array.nested", attribute.Int64SliceValue([]int64{1, 2}), attribute.StringSliceValue([]string{"a"}),
			attribute.SliceValue()),
		{Key: "empty", Value: attribute.Value{}},
	}
}

// manyAttributes are n attributes named prefix.000 ..., strings, ints and
// doubles in turn.
func manyAttributes(n int, prefix string) []attribute.KeyValue {
	out := make([]attribute.KeyValue, 0, n)
	for i := range n {
		key := fmt.Sprintf("%s.%03d", prefix, i)
		switch i % 3 {
		case 0:
			out = append(out, attribute.String(key, fmt.Sprintf("v%d", i)))
		case 1:
			out = append(out, attribute.Int(key, i))
		default:
			out = append(out, attribute.Float64(key, float64(i)+0.5))
		}
	}
	return out
}
