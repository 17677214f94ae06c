@echo off
rem paritysync, from the release archive: runs lib\paritysync.jar on the archive's own Java
rem runtime (runtime\), else on %JAVA_HOME%, else on the java found on the PATH (Java 17 or newer).
rem PARITYSYNC_JAVA_OPTS passes options to the JVM.
setlocal
set "PARITYSYNC_HOME=%~dp0.."
if exist "%PARITYSYNC_HOME%\runtime\bin\java.exe" (
  set "PARITYSYNC_JAVA=%PARITYSYNC_HOME%\runtime\bin\java.exe"
) else if defined JAVA_HOME (
  set "PARITYSYNC_JAVA=%JAVA_HOME%\bin\java.exe"
) else (
  set "PARITYSYNC_JAVA=java"
)
"%PARITYSYNC_JAVA%" %PARITYSYNC_JAVA_OPTS% -jar "%PARITYSYNC_HOME%\lib\paritysync.jar" %*
exit /b %ERRORLEVEL%
