package relay

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func TestDecodeFrameKeepsAnEmptyFrameWithItsSchema(t *testing.T) {
	frame, err := DecodeFrame(json.RawMessage(`{"schema":{"name":"kpis","fields":[{"name":"time","type":"time"},{"name":"v","type":"number"}]},"data":{"values":[[],[]]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if frame.Name != "kpis" || len(frame.Fields) != 2 || frame.Rows() != 0 || frame.Fields[1].Type() != data.FieldTypeNullableFloat64 {
		t.Fatalf("frame = %+v", frame)
	}
}

func TestDecodeFrameReadsAFrameWithoutData(t *testing.T) {
	frame, err := DecodeFrame(json.RawMessage(`{"schema":{"fields":[{"name":"s","type":"string"}]}}`))
	if err != nil || frame.Rows() != 0 || frame.Fields[0].Type() != data.FieldTypeNullableString {
		t.Fatalf("frame = %+v, err %v", frame, err)
	}
}

func TestDecodeFrameNamesAFieldWithoutType(t *testing.T) {
	_, err := DecodeFrame(json.RawMessage(`{"schema":{"name":"f","fields":[{"name":"x"}]},"data":{"values":[[1]]}}`))
	if err == nil || !strings.Contains(err.Error(), `field 0 of frame "f" has no type`) {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeFrameRejectsMoreValueArraysThanFields(t *testing.T) {
	_, err := DecodeFrame(json.RawMessage(`{"schema":{"fields":[{"name":"x","type":"number"}]},"data":{"values":[[1],[2]]}}`))
	if err == nil {
		t.Fatal("expected an error")
	}
}

func TestReadProblemFallsBackToTheErrorNameAndToPlainText(t *testing.T) {
	if p := ReadProblem([]byte(`{"statusCode":502,"error":"Bad Gateway"}`)); p.Message != "Bad Gateway" {
		t.Fatalf("problem = %+v", p)
	}
	if p := ReadProblem([]byte("  upstream down \n")); p.Message != "upstream down" {
		t.Fatalf("problem = %+v", p)
	}
}
