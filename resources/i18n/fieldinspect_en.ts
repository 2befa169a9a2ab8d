<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>GatePanel</name>
    <message numerus="yes">
        <location filename="../../ui/pages/gate_panel.py" line="39" />
        <source>不得开始检查（%n 项阻止）</source>
        <translation>
            <numerusform>Cannot start (%n blocking finding)</numerusform><numerusform>Cannot start (%n blocking findings)</numerusform></translation>
    </message>
    <message>
        <location filename="../../ui/pages/gate_panel.py" line="42" />
        <source>可以依法开始检查</source>
        <translation>May lawfully start</translation>
    </message>
</context>
<context>
    <name>InspectionDetail</name>
    <message>
        <location filename="../../ui/pages/inspections.py" line="41" />
        <source>检查对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="41" />
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="42" />
        <source>信用等级 / 名单</source>
        <translation>Credit grade / list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="42" />
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="43" />
        <source>检查来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="43" />
        <source>检查计划备案</source>
        <translation>Plan filing</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="44" />
        <source>执法人员</source>
        <translation>Officers</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="65" />
        <source>不适用（非计划检查）</source>
        <translation>Not applicable (not a planned inspection)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="68" />
        <source>辅助：</source>
        <translation>Assisting: </translation>
    </message>
</context>
<context>
    <name>InspectionTableModel</name>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="44" />
        <source>任务编号</source>
        <translation>Task no.</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="45" />
        <source>检查对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="46" />
        <source>信用/名单</source>
        <translation>Credit / list</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="47" />
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="48" />
        <source>计划时间</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="50" />
        <source>执法人员</source>
        <translation>Officers</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="51" />
        <source>状态</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>InspectionsPage</name>
    <message>
        <location filename="../../ui/pages/inspections.py" line="81" />
        <source>检查任务</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="84" />
        <source>搜索：对象名称、信用代码、编号、人员…</source>
        <translation>Search: subject, credit code, task no., staff…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/inspections.py" line="136" />
        <source>共 %n 项</source>
        <translation>
            <numerusform>%n item</numerusform><numerusform>%n items</numerusform></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="41" />
        <location filename="../../ui/main_window.py" line="49" />
        <source>现场执法检查终端</source>
        <translation>FieldInspect — On-site Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="47" />
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="73" />
        <source>证据材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="74" />
        <source>照片、视频与执法记录仪文件在导入时即计算 SHA-256 并签名封存，原件只读、不可删改。</source>
        <translation>Photos, videos and body-camera files are hashed (SHA-256) and sealed with a signature as they enter; originals are read-only and can be neither edited nor deleted.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="75" />
        <source>强制拆除财物清点</source>
        <translation>Demolition property inventory</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="76" />
        <source>强制拆除前置条件核验、财物逐项清点造册、见证、保管与移交。</source>
        <translation>Forced demolition: precondition checks, item-by-item property inventory, witnesses, storage and handover.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="77" />
        <location filename="../../ui/main_window.py" line="85" />
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="78" />
        <source>带队/审核人员对执法人员采集的证据和记录进行审核；审核决定签名入链，不改动原件。</source>
        <translation>Team leaders review the evidence and records captured by officers; review decisions are signed into the chain and never change the originals.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="79" />
        <location filename="../../ui/main_window.py" line="85" />
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="80" />
        <source>收班时将加密、签名的数据包断点续传至执法监督平台，并获取签名的基础数据。</source>
        <translation>At the end of the shift, encrypted and signed bundles are uploaded resumably to the supervision platform, and signed reference data is pulled back.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="84" />
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="84" />
        <source>检查任务</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="84" />
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="85" />
        <source>拆除清点</source>
        <translation>Demolition</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="86" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="166" />
        <source>当前基础数据：</source>
        <translation>Current reference data: </translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="175" />
        <source>任务状态为“%1”，开始条件不再核验。</source>
        <translation>The task is “%1”; its start conditions are no longer checked.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/pages/settings.py" line="14" />
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="20" />
        <source>界面语言在下次启动时生效。</source>
        <translation>The interface language takes effect at the next start.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="28" />
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="30" />
        <source>数据目录</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="31" />
        <source>基础数据版本</source>
        <translation>Reference data version</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="32" />
        <source>数据库结构版本</source>
        <translation>Database schema version</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="51" />
        <source>现场执法检查终端</source>
        <translation>FieldInspect — On-site Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="53" />
        <source>请选择本人登录</source>
        <translation>Choose yourself to sign in</translation>
    </message>
</context>
<context>
    <name>TaskCard</name>
    <message>
        <location filename="../../ui/pages/today.py" line="25" />
        <source>信用 %1</source>
        <translation>Credit %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="29" />
        <source>执法人员：</source>
        <translation>Officers: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="30" />
        <source>辅助：</source>
        <translation>Assisting: </translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../../ui/pages/today.py" line="41" />
        <source>今天没有分配给您的检查任务。</source>
        <translation>No inspection tasks are assigned to you today.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="59" />
        <source>今日任务</source>
        <translation>Today's tasks</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../ui/labels.py" line="20" />
        <source>计划检查</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="21" />
        <source>专项行动</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="22" />
        <source>投诉举报</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="23" />
        <source>突发事件</source>
        <translation>Emergency</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="24" />
        <source>上级交办</source>
        <translation>Assignment</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="25" />
        <source>待检查</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="26" />
        <source>检查中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="27" />
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="28" />
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="29" />
        <source>已备案</source>
        <translation>Filed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="30" />
        <source>备案中</source>
        <translation>Filing pending</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="31" />
        <source>未备案</source>
        <translation>Not filed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="32" />
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="33" />
        <source>白名单</source>
        <translation>White list</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="34" />
        <source>黑名单</source>
        <translation>Black list</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="35" />
        <source>执法人员</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="36" />
        <source>辅助人员</source>
        <translation>Auxiliary staff</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37" />
        <source>带队/审核</source>
        <translation>Team leader</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="38" />
        <source>执法证有效</source>
        <translation>Certificate valid</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="39" />
        <source>执法证已过期</source>
        <translation>Certificate expired</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="40" />
        <source>执法证已吊销</source>
        <translation>Certificate revoked</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="41" />
        <source>无执法证</source>
        <translation>No certificate</translation>
    </message>
</context>
</TS>