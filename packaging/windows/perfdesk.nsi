; perfdesk Windows installer (NSIS 3, Unicode, Chinese pages).
; makensis -DVERSION=0.1.0 -DBUNDLE=..\..\dist\perfdesk -DOUTFILE=..\..\dist\perfdesk-0.1.0-setup.exe perfdesk.nsi
; Installs per user (no administrator rights needed on office PCs). The user's database lives in
; %APPDATA%\perfdesk and is never touched by install, upgrade or uninstall.
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !error "VERSION is required: makensis -DVERSION=x.y.z"
!endif
!ifndef BUNDLE
  !define BUNDLE "..\..\dist\perfdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\perfdesk-${VERSION}-setup.exe"
!endif
!ifndef EXE
  !define EXE "perfdesk.exe"
!endif

!define APPNAME "预算绩效管理"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\perfdesk"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\perfdesk"
InstallDirRegKey HKCU "Software\perfdesk" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "LegalCopyright" "perfdesk"

!define MUI_ICON "..\..\resources\icons\perfdesk.ico"
!define MUI_UNICON "..\..\resources\icons\perfdesk.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "程序文件" SecMain
  SectionIn RO
  ; An upgrade replaces the program files only; the database in %APPDATA%\perfdesk stays and is
  ; migrated (after a copy is made) on the first start of the new version.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "Software\perfdesk" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "perfdesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  WriteUninstaller "$INSTDIR\uninstall.exe"
SectionEnd

Section "Uninstall"
  ; Program files and shortcuts only. The user's database (%APPDATA%\perfdesk) is left alone.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\perfdesk.exe"
  Delete "$INSTDIR\perfdesk-cli.exe"
  Delete "$INSTDIR\perfdesk"
  Delete "$INSTDIR\perfdesk-cli"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\perfdesk"
SectionEnd
