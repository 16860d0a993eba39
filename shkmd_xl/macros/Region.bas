Attribute VB_Name = "Region"
' Buttons of the regional console shkmd_region.xlsm.
' Every button calls one Python function; all logic and all Russian text
' live in Python (package shkmd_xl, module shkmd_xl.excel.region).
Option Explicit

Public Sub CollectAndCheck()
    RunPython "import shkmd_xl.excel.region as r; r.collect_and_check()"
End Sub

Public Sub CheckOneFile()
    RunPython "import shkmd_xl.excel.region as r; r.check_one_file()"
End Sub

Public Sub MakeTemplates()
    RunPython "import shkmd_xl.excel.region as r; r.make_templates()"
End Sub

Public Sub OpenReport()
    RunPython "import shkmd_xl.excel.region as r; r.open_report()"
End Sub

Public Sub OpenFeedbackFolder()
    RunPython "import shkmd_xl.excel.region as r; r.open_feedback_folder()"
End Sub

Public Sub MakeBrief()
    RunPython "import shkmd_xl.excel.region as r; r.make_brief()"
End Sub

Public Sub AcceptSelected()
    RunPython "import shkmd_xl.excel.region as r; r.accept_selected()"
End Sub

Public Sub ReturnSelected()
    RunPython "import shkmd_xl.excel.region as r; r.return_selected()"
End Sub

Public Sub FetchMail()
    RunPython "import shkmd_xl.excel.region as r; r.fetch_mail()"
End Sub

Public Sub SendLetters()
    RunPython "import shkmd_xl.excel.region as r; r.send_letters()"
End Sub
