// Command gpx_mlsight-mlflow-datasource is the backend of the MLSight data source. Grafana starts it through
// hashicorp go-plugin; it only relays queries, health checks and resource calls to the MLSight proxy.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/mlsight/mlsight/datasource/pkg/plugin"
)

// pluginID must match "id" in src/plugin.json: Grafana routes requests to the binary by it.
const pluginID = "mlsight-mlflow-datasource"

func main() {
	if err := datasource.Manage(pluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error(err.Error())
		os.Exit(1)
	}
}
