package relay

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// frameTypes maps the proxy's DataFrameJSON field types (contract/src/frames.ts FieldType) to SDK field types.
// Every one is nullable: the proxy writes null for a missing value (and JSON.stringify turns NaN into null).
var frameTypes = map[string]data.FieldType{
	"time":    data.FieldTypeNullableTime,
	"number":  data.FieldTypeNullableFloat64,
	"string":  data.FieldTypeNullableString,
	"boolean": data.FieldTypeNullableBool,
	"other":   data.FieldTypeNullableJSON,
}

type wireFrame struct {
	Schema struct {
		Name   string                       `json:"name,omitempty"`
		RefID  string                       `json:"refId,omitempty"`
		Meta   json.RawMessage              `json:"meta,omitempty"`
		Fields []map[string]json.RawMessage `json:"fields"`
	} `json:"schema"`
	Data json.RawMessage `json:"data"`
}

// DecodeFrame turns one of the proxy's frames into an SDK frame with typed fields, keeping names, labels, field
// config (units, thresholds, links, custom) and meta. The proxy's frames carry Grafana's field types but not the
// SDK's `typeInfo` (the Go-side storage type), which the SDK's reader needs; it is derived from the field type.
func DecodeFrame(raw json.RawMessage) (*data.Frame, error) {
	var wire wireFrame
	if err := json.Unmarshal(raw, &wire); err != nil {
		return nil, fmt.Errorf("frame is not DataFrameJSON: %w", err)
	}
	for i, field := range wire.Schema.Fields {
		var typeName string
		if err := json.Unmarshal(field["type"], &typeName); err != nil {
			return nil, fmt.Errorf("field %d of frame %q has no type", i, wire.Schema.Name)
		}
		fieldType, ok := frameTypes[typeName]
		if !ok {
			return nil, fmt.Errorf("field %d of frame %q has type %q, which is not a DataFrameJSON type", i, wire.Schema.Name, typeName)
		}
		typeInfo, err := json.Marshal(map[string]any{"frame": fieldType.NonNullableType(), "nullable": true})
		if err != nil {
			return nil, err
		}
		field["typeInfo"] = typeInfo
	}
	if len(wire.Data) == 0 {
		wire.Data = json.RawMessage(`{"values":[]}`)
	}
	normalised, err := json.Marshal(wire)
	if err != nil {
		return nil, err
	}
	frame := &data.Frame{}
	if err := json.Unmarshal(normalised, frame); err != nil {
		return nil, fmt.Errorf("frame %q: %w", wire.Schema.Name, err)
	}
	return frame, nil
}

// DecodeFrames decodes a result's frame list.
func DecodeFrames(raws []json.RawMessage) (data.Frames, error) {
	frames := make(data.Frames, 0, len(raws))
	for _, raw := range raws {
		frame, err := DecodeFrame(raw)
		if err != nil {
			return nil, err
		}
		frames = append(frames, frame)
	}
	return frames, nil
}
