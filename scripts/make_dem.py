"""Writes fixtures/dem/small_dem.tif: a 16 x 12 Float32 GeoTIFF (EPSG:32616,
1 m cells) of a plane rising 0.5 m per cell eastwards, with GDAL, as a
county DEM would come. Run with Debian's python3 (python3-gdal)."""
from pathlib import Path
from osgeo import gdal, osr

out = Path(__file__).resolve().parent.parent / "fixtures" / "dem" / "small_dem.tif"
out.parent.mkdir(parents=True, exist_ok=True)
ds = gdal.GetDriverByName("GTiff").Create(str(out), 16, 12, 1, gdal.GDT_Float32)
ds.SetGeoTransform((500000.0, 1.0, 0.0, 4000012.0, 0.0, -1.0))
srs = osr.SpatialReference()
srs.ImportFromEPSG(32616)
ds.SetProjection(srs.ExportToWkt())
band = ds.GetRasterBand(1)
band.SetNoDataValue(-9999.0)
band.WriteArray(__import__("numpy").fromfunction(lambda r, c: 180.0 + 0.5 * c, (12, 16)))
ds = None
print(out)

# fixtures/dem/interior_lot_dtm.tif: a terrain model under
# fixtures/site/interior_lot.json (EPSG:32616, 1 m cells, 60 x 80 m around the
# lot), a plane falling 0.1 m per metre to the south (5.71° slope, facing
# south), for analyze --dtm
out = out.parent / "interior_lot_dtm.tif"
ds = gdal.GetDriverByName("GTiff").Create(str(out), 60, 80, 1, gdal.GDT_Float32)
ds.SetGeoTransform((426980.0, 1.0, 0.0, 4622230.0, 0.0, -1.0))
ds.SetProjection(srs.ExportToWkt())
band = ds.GetRasterBand(1)
band.WriteArray(__import__("numpy").fromfunction(lambda r, c: 200.0 - 0.1 * r, (80, 60)))
ds = None
print(out)
