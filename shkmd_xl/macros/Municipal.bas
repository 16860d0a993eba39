Attribute VB_Name = "Municipal"
' Buttons of the municipal template variant (.xlsm) for specialists with Python.
' The default municipal template (.xlsx) has no macros and checks itself on
' the sheet of formulas; these buttons add a list of remarks with cells.
Option Explicit

Public Sub CheckWorkbook()
    RunPython "import shkmd_xl.excel.municipal as m; m.check_workbook()"
End Sub

Public Sub ClearRemarks()
    RunPython "import shkmd_xl.excel.municipal as m; m.clear_remarks()"
End Sub
