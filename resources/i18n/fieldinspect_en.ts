<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../ui/models/review_queue.py" line="214"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="215"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="216"/>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="217"/>
        <source>记录</source>
        <translation>Entry</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <location filename="../../ui/dialogs/camera_dialog.py" line="27"/>
        <source>现场拍照</source>
        <translation>Photograph on site</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/camera_dialog.py" line="31"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>CameraPanel</name>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="123"/>
        <source>摄像头 {0}：{1}</source>
        <translation>Camera {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="124"/>
        <source>视频文件…</source>
        <translation>Video file…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="126"/>
        <source>选择摄像头</source>
        <translation>Choose a camera</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="128"/>
        <source>未选择画面来源</source>
        <translation>No source selected</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="134"/>
        <source>拍照</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="135"/>
        <location filename="../../ui/widgets/camera_panel.py" line="323"/>
        <source>开始录像</source>
        <translation>Start recording</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="151"/>
        <source>画面来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="177"/>
        <source>选择视频文件</source>
        <translation>Choose a video file</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="178"/>
        <source>视频文件 (*.mp4 *.avi *.mov *.mkv *.m4v)</source>
        <translation>Video files (*.mp4 *.avi *.mov *.mkv *.m4v)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="288"/>
        <source>已恢复并封存 {0} 段上次中断的录像</source>
        <translation>Recovered and sealed {0} segment(s) interrupted last time</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="323"/>
        <source>停止录像</source>
        <translation>Stop recording</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="329"/>
        <source>● 录像中 第 {0} 段 已录 {1:02d}:{2:02d}</source>
        <translation>● Recording segment {0}, {1:02d}:{2:02d} recorded</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="331"/>
        <source>已封存 照片 {0} 张 录像 {1} 段</source>
        <translation>Sealed: {0} photo(s), {1} segment(s)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/camera_panel.py" line="333"/>
        <source>最近封存 SHA-256 {0}…</source>
        <translation>Last sealed SHA-256 {0}…</translation>
    </message>
</context>
<context>
    <name>ChecklistModel</name>
    <message>
        <location filename="../../ui/models/checklist_table.py" line="67"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/models/checklist_table.py" line="67"/>
        <source>检查事项</source>
        <translation>Check item</translation>
    </message>
    <message>
        <location filename="../../ui/models/checklist_table.py" line="67"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/models/checklist_table.py" line="67"/>
        <source>发现的问题</source>
        <translation>Problem found</translation>
    </message>
</context>
<context>
    <name>ChecklistStep</name>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="43"/>
        <source>检查项</source>
        <translation>Check items</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="90"/>
        <source>发现的问题（事实、地点、程度）</source>
        <translation>Problem found (facts, place, extent)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="93"/>
        <location filename="../../ui/pages/onsite_checklist.py" line="95"/>
        <source>整改建议</source>
        <translation>Rectification advice</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="94"/>
        <source>发现的问题</source>
        <translation>Problem found</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="113"/>
        <source>已采取的柔性措施：</source>
        <translation>Flexible measures taken:</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="118"/>
        <source>已对当事人进行教育</source>
        <translation>The party was educated</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="119"/>
        <source>不予处罚情形（《行政处罚法》第三十三条）：</source>
        <translation>No-penalty ground (Administrative Penalty Law Art. 33):</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="98"/>
        <source>证据（本次检查已封存的材料）：</source>
        <translation>Evidence (sealed material of this inspection):</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="127"/>
        <source>保存本项并转到下一项</source>
        <translation>Save and go to the next item</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="135"/>
        <source>如：罚款5000元</source>
        <translation>e.g. a fine of 5,000 yuan</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="137"/>
        <source>调整适用基准的理由（无则留空）</source>
        <translation>Reason for departing from the benchmark (leave empty if none)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="140"/>
        <source>主要负责人或集体讨论</source>
        <translation>Agency head or collective decision</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="144"/>
        <source>记录拟处罚</source>
        <translation>Record the proposed penalty</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="148"/>
        <source>裁量基准</source>
        <translation>Discretion benchmark</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="131"/>
        <location filename="../../ui/pages/onsite_checklist.py" line="149"/>
        <location filename="../../ui/pages/onsite_checklist.py" line="160"/>
        <source>拟处罚</source>
        <translation>Proposed penalty</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="44"/>
        <source>只检查已公布的检查事项清单内的事项（国办发〔2024〕54号）。不符合的写明问题；轻微违法先采取柔性措施，不予处罚的记录依据和教育情况（《行政处罚法》第三十三条）；拟处罚的须选择裁量基准条款，调整适用须有批准记录（《行政处罚法》第三十四条）。</source>
        <translation>Inspect only items on the published check-item list (State Council Opinion Guobanfa [2024] No. 54). For a non-compliant item, describe the problem; for a minor violation, offer flexible measures first, and where no penalty is given record the ground and the education given (Administrative Penalty Law Art. 33); a proposed penalty needs a discretion benchmark clause, and adjusting it needs an approval record (Administrative Penalty Law Art. 34).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="101"/>
        <source>检查结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="103"/>
        <location filename="../../ui/pages/onsite_checklist.py" line="126"/>
        <source>轻微违法</source>
        <translation>Minor violation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="150"/>
        <source>调整理由</source>
        <translation>Reason for departing</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="151"/>
        <source>批准文号</source>
        <translation>Approval reference</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="152"/>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="153"/>
        <source>批准时间</source>
        <translation>Approved at</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="215"/>
        <source>依据：%1
标准：%2</source>
        <translation>Basis: %1
Standard: %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_checklist.py" line="239"/>
        <source>已记录拟处罚：%1</source>
        <translation>Proposed penalty recorded: %1</translation>
    </message>
</context>
<context>
    <name>CloseStep</name>
    <message>
        <location filename="../../ui/pages/onsite.py" line="40"/>
        <source>结束检查</source>
        <translation>Close the inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="41"/>
        <source>结束前核对：亮证、回避告知、签名或拒签、责令改正与复查、监督卡；每项未完成的要求下方注明其法律依据。</source>
        <translation>Before closing, check: certificates shown, recusal asked, signatures or refusal, rectification order and follow-up, supervision card; each open requirement below names its legal basis.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="45"/>
        <source>结束检查并锁定笔录</source>
        <translation>Close the inspection and lock the record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="54"/>
        <source>检查已于 %1 结束，笔录已锁定。</source>
        <translation>The inspection ended at %1; the record is locked.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="63"/>
        <source>各项要求均已满足。</source>
        <translation>Every requirement is met.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/onsite.py" line="64"/>
        <source>尚不能结束（%n 项未完成）</source>
        <translation>
            <numerusform>Cannot close yet (%n requirement open)</numerusform>
            <numerusform>Cannot close yet (%n requirements open)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="65"/>
        <source>可以结束检查</source>
        <translation>The inspection can be closed</translation>
    </message>
</context>
<context>
    <name>CustodyTab</name>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="40"/>
        <source>执行结束后：移交保管、通知领取、向当事人移交（可部分移交，接收人签名）或记录拒收；财物登记清单一式两份，双方签名。</source>
        <translation>After the operation: hand over to storage, notify the party to collect, hand over to the party (partly if need be, signed by the recipient) or record a refusal; the inventory list is printed in two copies, signed by both sides.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="46"/>
        <source>勾选要办理的财物</source>
        <translation>Tick the items concerned</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="50"/>
        <source>保管与通知</source>
        <translation>Storage and notice</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="54"/>
        <source>移交保管</source>
        <translation>Move to storage</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="60"/>
        <source>登记领取通知</source>
        <translation>Record the notice to collect</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="62"/>
        <source>保管地点</source>
        <translation>Storage place</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="64"/>
        <source>通知书文号</source>
        <translation>Notice number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="65"/>
        <source>领取期限</source>
        <translation>Collect by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="68"/>
        <source>移交给当事人 / 拒收</source>
        <translation>Hand over to the party / refusal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="75"/>
        <source>移交并由接收人签收</source>
        <translation>Hand over, signed by the recipient</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="79"/>
        <source>记录拒收</source>
        <translation>Record refusal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="81"/>
        <source>接收人</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="82"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="83"/>
        <source>接收人签名</source>
        <translation>Recipient&apos;s signature</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="85"/>
        <source>拒收情况</source>
        <translation>Refusal details</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="88"/>
        <source>文书签名</source>
        <translation>Signatures on documents</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="92"/>
        <source>财物登记清单</source>
        <translation>Inventory list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="93"/>
        <source>强制拆除现场笔录</source>
        <translation>Record of the demolition</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="95"/>
        <source>执法人员</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="96"/>
        <source>当事人</source>
        <translation>Party</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="97"/>
        <source>见证人</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="99"/>
        <source>签名人姓名（执法人员为当前登录人）</source>
        <translation>Signer&apos;s name (an officer signs as the signed-in user)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="102"/>
        <source>保存签名</source>
        <translation>Save signature</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="104"/>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="104"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="105"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="105"/>
        <source>签名</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="109"/>
        <source>当事人拒绝签名的情况（见证人须先签名）</source>
        <translation>How the party refused to sign (the witness signs first)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="110"/>
        <source>记录当事人拒签</source>
        <translation>Record the party&apos;s refusal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="112"/>
        <source>拒签</source>
        <translation>Refusal</translation>
    </message>
</context>
<context>
    <name>Demolition</name>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="19"/>
        <source>待执行</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="20"/>
        <source>执行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="21"/>
        <source>已暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="22"/>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="23"/>
        <source>已终止</source>
        <translation>Abandoned</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="28"/>
        <source>开始执行</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="29"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="30"/>
        <source>恢复执行</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="31"/>
        <source>终止执行</source>
        <translation>Abandon</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_base.py" line="32"/>
        <source>执行结束</source>
        <translation>Ended</translation>
    </message>
</context>
<context>
    <name>DemolitionCaseDialog</name>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="44"/>
        <source>强制拆除案件</source>
        <translation>Forced demolition case</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="44"/>
        <source>新建强制拆除案件</source>
        <translation>New forced demolition case</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="74"/>
        <source>案件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="74"/>
        <source>当事人</source>
        <translation>Party</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="75"/>
        <source>当事人证件号码</source>
        <translation>Party&apos;s ID number</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="75"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="76"/>
        <source>拆除对象</source>
        <translation>Structure</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="76"/>
        <source>强制拆除决定书</source>
        <translation>Demolition decision</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="77"/>
        <source>公告文号</source>
        <translation>Announcement no.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="77"/>
        <source>公告送达日</source>
        <translation>Announcement served</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="78"/>
        <source>自行拆除期限</source>
        <translation>Self-demolition deadline</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="78"/>
        <source>清除财物期限</source>
        <translation>Removal deadline</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="79"/>
        <source>到场通知文号</source>
        <translation>Notice to attend no.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="79"/>
        <source>计划执行时间</source>
        <translation>Scheduled for</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="80"/>
        <source>另一名执法人员</source>
        <translation>Second officer</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/demolition_case_dialog.py" line="80"/>
        <source>拆除方式</source>
        <translation>Means</translation>
    </message>
</context>
<context>
    <name>DemolitionPage</name>
    <message>
        <location filename="../../ui/pages/demolition.py" line="131"/>
        <source>强制拆除</source>
        <translation>Forced demolition</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="147"/>
        <source>前置条件</source>
        <translation>Preconditions</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="147"/>
        <source>现场执行</source>
        <translation>Operation</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="148"/>
        <source>财物清点</source>
        <translation>Inventory</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="148"/>
        <source>保管与移交</source>
        <translation>Custody and handover</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="149"/>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="156"/>
        <source>新建案件</source>
        <translation>New case</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="223"/>
        <source>您不是本案的执法人员，只能查看。</source>
        <translation>You are not an officer of this case; view only.</translation>
    </message>
</context>
<context>
    <name>DocumentsStep</name>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="23"/>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="28"/>
        <source>生成</source>
        <translation>Generate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="26"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="24"/>
        <source>行政检查通知书和监督卡带有本机签名的检查码；现场检查笔录在签名前可打印草稿供当事人阅看，全部签名后打印正式文书。</source>
        <translation>The inspection notice and the supervision card carry an inspection code signed by this device; a draft of the on-site record can be printed for the party to read before signing, and the final document once everyone has signed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="65"/>
        <location filename="../../ui/pages/onsite_documents.py" line="99"/>
        <source>已生成：%1</source>
        <translation>Generated: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="69"/>
        <source>尚未生成</source>
        <translation>Not generated yet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="88"/>
        <source>正在生成…</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="98"/>
        <source>（草稿：签名完成后再生成正式文书）</source>
        <translation> (draft: generate the final document after signing)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="113"/>
        <source>导出文书</source>
        <translation>Export document</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_documents.py" line="119"/>
        <source>已导出到 %1</source>
        <translation>Exported to %1</translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="221"/>
        <source>文书与执法检查文书同一标准：内嵌字体、中文自动换行、页码。</source>
        <translation>Same standard as the inspection documents: embedded font, Chinese line wrapping, page numbers.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="225"/>
        <source>财物登记清单（一式两份）</source>
        <translation>Inventory list (two copies)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="226"/>
        <source>强制拆除现场笔录</source>
        <translation>Record of the demolition</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="227"/>
        <source>财物移交清单（最近一次）</source>
        <translation>Handover receipt (latest)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="228"/>
        <source>财物标签（二维码）</source>
        <translation>Item labels (QR codes)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="222"/>
        <source>生成</source>
        <translation>Generate</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="250"/>
        <source>正在生成…</source>
        <translation>Generating…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_custody.py" line="262"/>
        <source>已生成：%1</source>
        <translation>Generated: %1</translation>
    </message>
</context>
<context>
    <name>EvidenceDetail</name>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="96"/>
        <source>打开</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="97"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="98"/>
        <source>校验</source>
        <translation>Verify</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="99"/>
        <source>复制到本人查看目录并用系统程序打开；查看记入访问记录</source>
        <translation>Copy to your viewing folder and open with the system program; the view is written to the access log</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="100"/>
        <source>重新计算原件的 SHA-256 并与封存记录比对</source>
        <translation>Recompute the original&apos;s SHA-256 and compare it with the seal record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="113"/>
        <source>文件名</source>
        <translation>File name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="113"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="114"/>
        <source>文件类型</source>
        <translation>Media type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="114"/>
        <source>证据种类</source>
        <translation>Evidence type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="115"/>
        <source>拍摄时间</source>
        <translation>Captured</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="115"/>
        <source>入库时间</source>
        <translation>Ingested</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="116"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="116"/>
        <source>采集人员</source>
        <translation>Collected by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="117"/>
        <source>检查任务</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="117"/>
        <source>派生自</source>
        <translation>Derived from</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="118"/>
        <source>保存期限</source>
        <translation>Retention</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="118"/>
        <source>封存序号</source>
        <translation>Seal no.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="127"/>
        <source>访问记录（查看、导出）</source>
        <translation>Access log (views, exports)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="158"/>
        <source>未选择证据</source>
        <translation>No item selected</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="165"/>
        <source>现场拍摄（摄像头 %1）</source>
        <translation>Captured on site (camera %1)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="165"/>
        <source>执法记录仪 %1</source>
        <translation>Body camera %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="166"/>
        <source>文件导入：%1</source>
        <translation>Imported file: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="169"/>
        <source>%1（%2 字节）</source>
        <translation>%1 (%2 bytes)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="176"/>
        <source>未关联检查任务</source>
        <translation>Not linked to an inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="177"/>
        <source>—（原件）</source>
        <translation>— (original)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="178"/>
        <source>随案件 %1 保存</source>
        <translation>Kept with case %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="180"/>
        <source>至少保存至 %1</source>
        <translation>Kept at least until %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="202"/>
        <source>无预览</source>
        <translation>No preview</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="202"/>
        <source>正在生成预览…</source>
        <translation>Making the preview…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="206"/>
        <source>封存状态：正在核验…</source>
        <translation>Seal: checking…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="208"/>
        <source>✖ 封存异常：</source>
        <translation>✖ Seal problem: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="211"/>
        <source>✔ 校验通过：原件的 SHA-256 与封存记录一致（已完整重新计算）</source>
        <translation>✔ Verified: the original&apos;s SHA-256 matches its seal (fully recomputed)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="213"/>
        <source>✓ 封存完好：签名有效，原件存在且大小与封存一致</source>
        <translation>✓ Seal intact: signature valid, original present with its sealed size</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="224"/>
        <source>查看</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="224"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="232"/>
        <source>尚无查看或导出</source>
        <translation>No views or exports yet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence_detail.py" line="243"/>
        <source>正在校验：重新计算原件的 SHA-256…</source>
        <translation>Verifying: recomputing the original&apos;s SHA-256…</translation>
    </message>
</context>
<context>
    <name>EvidencePage</name>
    <message>
        <location filename="../../ui/pages/evidence.py" line="81"/>
        <source>证据材料</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="90"/>
        <source>导入…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="102"/>
        <source>拍摄时间（新→旧）</source>
        <translation>Captured (newest first)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="103"/>
        <source>拍摄时间（旧→新）</source>
        <translation>Captured (oldest first)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="104"/>
        <source>入库时间（新→旧）</source>
        <translation>Ingested (newest first)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="105"/>
        <source>证据种类</source>
        <translation>Evidence type</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="109"/>
        <source>搜索：文件名、SHA-256、人员、任务…</source>
        <translation>Search: file name, SHA-256, staff, task…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="158"/>
        <source>证据库</source>
        <translation>Evidence store</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="159"/>
        <source>现场拍摄</source>
        <translation>Capture on site</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="227"/>
        <source>全部检查任务</source>
        <translation>All inspections</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="228"/>
        <source>未关联检查任务</source>
        <translation>Not linked to an inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="230"/>
        <source>全部证据种类</source>
        <translation>All evidence types</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="232"/>
        <source>全部人员</source>
        <translation>All staff</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="259"/>
        <source>显示 %1 / 共 %2 项</source>
        <translation>Showing %1 of %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="288"/>
        <source>请先登录：查看和导出原件须记录操作人员。</source>
        <translation>Sign in first: viewing and exporting originals records who did it.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="323"/>
        <source>请填写导出用途：每次导出原件都记入访问记录。</source>
        <translation>Give the purpose of the export: every export of an original is written to the access log.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="303"/>
        <source>已记录查看并打开：%1</source>
        <translation>View logged and opened: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="310"/>
        <source>导出原件到文件夹</source>
        <translation>Export the original to a folder</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="313"/>
        <source>导出原件</source>
        <translation>Export original</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="313"/>
        <source>导出用途（记入访问记录）：</source>
        <translation>Purpose of the export (written to the access log):</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="331"/>
        <source>已导出并记录：%1</source>
        <translation>Exported and logged: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="375"/>
        <source>采集人员：%1 · 检查任务：%2（在“证据库”的筛选中选择）</source>
        <translation>Collected by: %1 · inspection: %2 (choose it in the Evidence store&apos;s filter)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/evidence.py" line="397"/>
        <source>现场拍摄（摄像头拍照、录像并即时封存）将在此处提供。</source>
        <translation>On-site capture (webcam photos and video, sealed at once) appears here.</translation>
    </message>
</context>
<context>
    <name>EvidenceType</name>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="50"/>
        <source>书证</source>
        <translation>Documentary evidence</translation>
    </message>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="51"/>
        <source>物证</source>
        <translation>Physical evidence</translation>
    </message>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="52"/>
        <source>视听资料</source>
        <translation>Audiovisual material</translation>
    </message>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="53"/>
        <source>电子数据</source>
        <translation>Electronic data</translation>
    </message>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="54"/>
        <source>证人证言</source>
        <translation>Witness testimony</translation>
    </message>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="55"/>
        <source>当事人的陈述</source>
        <translation>Party&apos;s statement</translation>
    </message>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="56"/>
        <source>鉴定意见</source>
        <translation>Expert opinion</translation>
    </message>
    <message>
        <location filename="../../ui/models/evidence_gallery.py" line="57"/>
        <source>勘验笔录、现场笔录</source>
        <translation>Inspection or on-site record</translation>
    </message>
</context>
<context>
    <name>GatePanel</name>
    <message numerus="yes">
        <location filename="../../ui/pages/gate_panel.py" line="52"/>
        <source>不得开始检查（%n 项阻止）</source>
        <translation>
            <numerusform>Cannot start (%n blocking finding)</numerusform>
            <numerusform>Cannot start (%n blocking findings)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/pages/gate_panel.py" line="55"/>
        <source>可以依法开始检查</source>
        <translation>May lawfully start</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="112"/>
        <source>导入证据</source>
        <translation>Import evidence</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="127"/>
        <source>文件</source>
        <translation>Files</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="128"/>
        <source>选择文件…</source>
        <translation>Choose files…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="130"/>
        <source>选择文件夹…</source>
        <translation>Choose a folder…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="132"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="145"/>
        <source>执法记录仪</source>
        <translation>Body cameras</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="151"/>
        <source>重新检测</source>
        <translation>Detect again</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="153"/>
        <source>导入所选记录仪的新文件</source>
        <translation>Import the new files of the selected camera</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="166"/>
        <source>不关联检查任务</source>
        <translation>No inspection</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="183"/>
        <source>请选择证据种类（必填）</source>
        <translation>Choose the evidence type (required)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="186"/>
        <source>须为法定八种证据之一（《中华人民共和国行政处罚法》第四十六条）</source>
        <translation>Must be one of the eight statutory kinds of evidence (Administrative Penalty Law Art. 46)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="189"/>
        <source>检查任务</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="190"/>
        <source>采集人员</source>
        <translation>Collected by</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="191"/>
        <source>证据种类</source>
        <translation>Evidence type</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="207"/>
        <source>开始导入</source>
        <translation>Start import</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="210"/>
        <source>取消导入</source>
        <translation>Cancel import</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="212"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="241"/>
        <source>来源：执法记录仪 %1，%2 个新文件</source>
        <translation>Source: body camera %1, %2 new file(s)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="272"/>
        <source>选择证据文件</source>
        <translation>Choose evidence files</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="273"/>
        <source>照片、视频和录音 (*.jpg *.jpeg *.png *.heic *.tif *.mp4 *.mov *.avi *.mkv *.3gp *.wav *.mp3 *.amr *.m4a);;所有文件 (*)</source>
        <translation>Photos, video and audio (*.jpg *.jpeg *.png *.heic *.tif *.mp4 *.mov *.avi *.mkv *.3gp *.wav *.mp3 *.amr *.m4a);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="279"/>
        <source>选择文件夹（如相机的 DCIM）</source>
        <translation>Choose a folder (such as a camera&apos;s DCIM)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="289"/>
        <source>本机尚未安装执法记录仪识别模块；可用“选择文件夹…”导入记录仪的文件。</source>
        <translation>Body-camera detection is not available here; use “Choose a folder…” to import a camera&apos;s files.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="293"/>
        <source>正在检测执法记录仪…</source>
        <translation>Detecting body cameras…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="306"/>
        <source>配发：%1</source>
        <translation>Assigned to: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="306"/>
        <source>未配发</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="307"/>
        <source>%1 个新文件</source>
        <translation>%1 new file(s)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="310"/>
        <source>未检测到执法记录仪。</source>
        <translation>No body camera found.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="314"/>
        <source>检测执法记录仪失败：</source>
        <translation>Detecting body cameras failed: </translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="333"/>
        <source>请先选择要导入的文件或文件夹。</source>
        <translation>Choose the files or folder to import first.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="352"/>
        <source>所选位置没有可导入的文件。</source>
        <translation>There is nothing to import there.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="357"/>
        <source>准备导入 %1 个文件，共 %2</source>
        <translation>Ready to import %1 file(s), %2 in all</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="375"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="401"/>
        <source>文件 %1/%2</source>
        <translation>File %1/%2</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="406"/>
        <source>剩余约 %1</source>
        <translation>About %1 left</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="412"/>
        <source>导入中断：</source>
        <translation>Import stopped: </translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="419"/>
        <source>已导入并封存 %1 项</source>
        <translation>Imported and sealed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="420"/>
        <source>重复（证据库中已有，未再次封存）%1 项</source>
        <translation>Duplicates (already in the store, not sealed again): %1</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="421"/>
        <source>失败 %1 项</source>
        <translation>Failed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="424"/>
        <source>导入已取消：已封存的文件保留为证据，正在导入的文件未留下任何内容。</source>
        <translation>Import cancelled: files already sealed stay as evidence; the file being imported left nothing behind.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="425"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="428"/>
        <source>导入完成，用时 %1</source>
        <translation>Import finished in %1</translation>
    </message>
</context>
<context>
    <name>InspectionDetail</name>
    <message>
        <location filename="../../ui/pages/inspections.py" line="54"/>
        <source>开始检查</source>
        <translation>Start inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="56"/>
        <source>现场笔录</source>
        <translation>On-site record</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="58"/>
        <source>综合查一次：同一对象的其他待检查任务并入本任务</source>
        <translation>Inspect once: fold the subject&apos;s other planned tasks into this one</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="72"/>
        <source>检查对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="72"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="73"/>
        <source>信用等级 / 名单</source>
        <translation>Credit grade / list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="73"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="74"/>
        <source>检查来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="74"/>
        <source>检查计划备案</source>
        <translation>Plan filing</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="75"/>
        <source>执法人员</source>
        <translation>Officers</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="75"/>
        <source>预告</source>
        <translation>Pre-notice</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="76"/>
        <source>本机关本季度 / 本年度已检查</source>
        <translation>Inspected by this agency this quarter / year</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="98"/>
        <source>不适用（非计划检查）</source>
        <translation>Not applicable (not a planned inspection)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="101"/>
        <source>辅助：</source>
        <translation>Assisting: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="114"/>
        <source>辅助</source>
        <translation>auxiliary</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="119"/>
        <source>%1，%2 发布，%3 期满</source>
        <translation>%1, published %2, period ends %3</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="122"/>
        <source>无需预告或未预告</source>
        <translation>No pre-notice needed or none published</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="125"/>
        <source>合并 %1 个同一对象的任务</source>
        <translation>Merge %1 task(s) for the same subject</translation>
    </message>
</context>
<context>
    <name>InspectionTableModel</name>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="56"/>
        <source>任务编号</source>
        <translation>Task no.</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="57"/>
        <source>检查对象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="59"/>
        <source>信用/名单</source>
        <translation>Credit / list</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="60"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="61"/>
        <source>计划时间</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="63"/>
        <source>执法人员</source>
        <translation>Officers</translation>
    </message>
    <message>
        <location filename="../../ui/models/inspection_table.py" line="64"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>InspectionsPage</name>
    <message>
        <location filename="../../ui/pages/inspections.py" line="142"/>
        <source>检查任务</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <location filename="../../ui/pages/inspections.py" line="145"/>
        <source>搜索：对象名称、信用代码、编号、人员…</source>
        <translation>Search: subject, credit code, task no., staff…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/pages/inspections.py" line="218"/>
        <source>共 %n 项</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InventoryModel</name>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="73"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="73"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="73"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="73"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="73"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="74"/>
        <source>状况</source>
        <translation>Condition</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="74"/>
        <source>箱号/标签</source>
        <translation>Box/label</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="74"/>
        <source>保管地点</source>
        <translation>Storage place</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="74"/>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="75"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="75"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/models/demolition_inventory.py" line="92"/>
        <source>清点后修改：%1</source>
        <translation>Edited after counting: %1</translation>
    </message>
</context>
<context>
    <name>InventoryTab</name>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="196"/>
        <source>逐项清点造册：每项现场拍照（照片即时封存），标注箱号/标签号。清点后修改生成新版本并注明原因，原记录保留。</source>
        <translation>Inventory item by item: photograph each item on site (each photo is sealed at once) and note its box or label number. A change after counting makes a new version with its reason; the original entry is kept.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="198"/>
        <source>登记财物</source>
        <translation>Count an item</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="207"/>
        <source>件</source>
        <translation>pcs</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="213"/>
        <source>相机拍照</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="215"/>
        <source>选择照片文件</source>
        <translation>Choose photo files</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="219"/>
        <source>修改原因（修改已清点的财物时必填）</source>
        <translation>Reason for the edit (required when editing a counted item)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="220"/>
        <source>登记本项</source>
        <translation>Add this item</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="223"/>
        <source>保存修改（新版本）</source>
        <translation>Save edit (new version)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="228"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="228"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="229"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="229"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="230"/>
        <source>状况</source>
        <translation>Condition</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="230"/>
        <source>箱号/标签号</source>
        <translation>Box/label no.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="231"/>
        <source>保管地点</source>
        <translation>Storage place</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="233"/>
        <source>照片</source>
        <translation>Photos</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="235"/>
        <source>修改原因</source>
        <translation>Edit reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="309"/>
        <source>选择现场照片</source>
        <translation>Choose photos taken on site</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="310"/>
        <source>图片 (*.jpg *.jpeg *.png *.heic *.webp)</source>
        <translation>Images (*.jpg *.jpeg *.png *.heic *.webp)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="318"/>
        <source>正在封存照片…</source>
        <translation>Sealing photo…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="352"/>
        <source>已拍照 %1 张（已封存）</source>
        <translation>%1 photo(s) taken (sealed)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="353"/>
        <source>尚未拍照</source>
        <translation>No photo yet</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/application.py" line="136"/>
        <location filename="../../ui/main_window.py" line="69"/>
        <location filename="../../ui/main_window.py" line="77"/>
        <location filename="../../ui/main_window.py" line="574"/>
        <location filename="../../ui/main_window.py" line="575"/>
        <source>现场执法检查终端</source>
        <translation>FieldInspect — On-site Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="75"/>
        <location filename="../../ui/main_window.py" line="576"/>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="145"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="145"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="144"/>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="144"/>
        <source>检查任务</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="144"/>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="145"/>
        <source>强制拆除</source>
        <translation>Forced demolition</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="146"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="297"/>
        <source>（审计日志暂时无法写入：%1）</source>
        <translation>(The audit log cannot be written just now: %1)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="418"/>
        <source>任务状态为“%1”，开始条件不再核验。</source>
        <translation>The task is “%1”; its start conditions are no longer checked.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="420"/>
        <source>已并入 %1（综合查一次）。</source>
        <translation> Merged into %1 (one visit for all).</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="526"/>
        <source>PIN 已修改，下次登录请使用新 PIN。</source>
        <translation>PIN changed; sign in with the new PIN from now on.</translation>
    </message>
</context>
<context>
    <name>OnsitePage</name>
    <message>
        <location filename="../../ui/pages/onsite.py" line="90"/>
        <source>返回任务列表</source>
        <translation>Back to the task list</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="110"/>
        <source>1 开场</source>
        <translation>1 Opening</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="110"/>
        <source>2 检查项</source>
        <translation>2 Check items</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="110"/>
        <source>3 处理</source>
        <translation>3 Outcome</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="111"/>
        <source>4 签名</source>
        <translation>4 Signatures</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="111"/>
        <source>5 文书</source>
        <translation>5 Documents</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="111"/>
        <source>6 结束</source>
        <translation>6 Close</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite.py" line="160"/>
        <source>%1 · 开始于 %2 · 地点：%3 · 已检查 %4/%5 项</source>
        <translation>%1 · started %2 · place: %3 · %4 of %5 items checked</translation>
    </message>
</context>
<context>
    <name>OpeningStep</name>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="24"/>
        <source>开场：亮证、告知回避、当事人</source>
        <translation>Opening: certificates, recusal, the party</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="33"/>
        <source>“执法人员与你方有直接利害关系或者有其他关系可能影响公正执法的，你方有权申请回避。是否申请回避？”</source>
        <translation>“If an officer has a direct interest in this matter or another relationship that may affect fair enforcement, you have the right to ask for recusal. Do you ask for recusal?”</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="37"/>
        <location filename="../../ui/pages/onsite_opening.py" line="105"/>
        <source>不申请回避</source>
        <translation>No recusal requested</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="38"/>
        <location filename="../../ui/pages/onsite_opening.py" line="105"/>
        <source>申请回避</source>
        <translation>Recusal requested</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="48"/>
        <source>申请回避的对象和理由</source>
        <translation>Whom the party asks to withdraw, and why</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="50"/>
        <source>记录答复</source>
        <translation>Record the answer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="58"/>
        <source>在场当事人</source>
        <translation>Party present</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="63"/>
        <source>法定代表人、负责人、委托代理人…</source>
        <translation>Legal representative, person in charge, agent…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="25"/>
        <source>笔录的第一项为执法人员出示执法证件（《行政处罚法》第五十五条），随后告知当事人申请回避的权利并记录其答复（《行政处罚法》第四十三条）。</source>
        <translation>The record opens with the officers showing their certificates (Administrative Penalty Law Art. 55); then the party is told of the right to ask for recusal and the answer is recorded (Administrative Penalty Law Art. 43).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="27"/>
        <source>出示执法证件</source>
        <translation>Certificates shown</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="31"/>
        <source>告知回避权利</source>
        <translation>Right to recusal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="65"/>
        <source>当事人不在场（须由见证人签名）</source>
        <translation>Party absent (a witness must sign)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="66"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="67"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="68"/>
        <source>身份证件号码</source>
        <translation>ID document number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="70"/>
        <source>保存当事人信息</source>
        <translation>Save the party&apos;s details</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="91"/>
        <source>✔ %1 已出示执法证 %2（%3）</source>
        <translation>✔ %1 showed certificate %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="96"/>
        <source>%1 出示执法证 %2</source>
        <translation>%1 shows certificate %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="103"/>
        <source>尚未记录</source>
        <translation>Not recorded yet</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="106"/>
        <source>已记录（%1）：%2</source>
        <translation>Recorded (%1): %2</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_opening.py" line="117"/>
        <source>请选择当事人的答复。</source>
        <translation>Choose the party&apos;s answer.</translation>
    </message>
</context>
<context>
    <name>OperationTab</name>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="39"/>
        <source>遇有风险立即暂停并记录原因；全程录像；当事人不到场的，须有公证或见证人在场。</source>
        <translation>Pause at once when a risk arises and record why; record video the whole time; when the party is absent, a notary or a witness must be present.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="44"/>
        <source>当事人到场情况</source>
        <translation>Party&apos;s presence</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="47"/>
        <source>到场</source>
        <translation>Present</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="48"/>
        <source>未到场</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="50"/>
        <source>保存到场情况</source>
        <translation>Save presence</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="56"/>
        <source>到场人</source>
        <translation>Person present</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="59"/>
        <source>公证或见证人</source>
        <translation>Notary or witness</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="63"/>
        <source>见证人</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="64"/>
        <source>公证人员</source>
        <translation>Notary</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="66"/>
        <source>本人与本案当事人及执法机关均无利害关系。</source>
        <translation>I have no interest in this case, with the party or with the agency.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="69"/>
        <source>登记见证人</source>
        <translation>Record witness</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="71"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="71"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="72"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="72"/>
        <source>公证机构</source>
        <translation>Notary office</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="73"/>
        <source>无利害关系声明</source>
        <translation>Statement of no interest</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="73"/>
        <source>签名</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="83"/>
        <source>暂停或终止的原因</source>
        <translation>Reason for pausing or abandoning</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="85"/>
        <source>紧急情况理由（夜间或节假日恢复时）</source>
        <translation>Emergency reason (to resume at night or on a holiday)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="86"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="86"/>
        <source>恢复执行</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="87"/>
        <source>终止执行</source>
        <translation>Abandon</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="96"/>
        <source>关联本次执行的录像</source>
        <translation>Link this operation&apos;s recordings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="98"/>
        <source>结束执行并封存清单</source>
        <translation>End and seal the inventory</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="102"/>
        <source>录像中断的原因</source>
        <translation>Why the recording was interrupted</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="103"/>
        <source>记录缺口原因</source>
        <translation>Record gap reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="121"/>
        <source>状态：%1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition_site.py" line="136"/>
        <source>已关联录像 %1 段。</source>
        <translation>%1 recording(s) linked.</translation>
    </message>
</context>
<context>
    <name>OutcomeStep</name>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="19"/>
        <source>处理：责令改正与监督卡</source>
        <translation>Outcome: rectification order and supervision card</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="32"/>
        <source>下达责令改正通知书</source>
        <translation>Issue the rectification order</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="36"/>
        <source>需整改的检查项</source>
        <translation>Items to correct</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="37"/>
        <source>整改期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="38"/>
        <source>逾期后果</source>
        <translation>Consequence if not corrected</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="20"/>
        <source>需要整改的，一次告知、全程跟踪、及时复核：下达责令限期改正通知书，并自动生成复查任务（《行政处罚法》第二十八条）。发放行政执法案件监督卡并在笔录中注明（国办发〔2018〕118号）。</source>
        <translation>Where rectification is needed, tell once, follow throughout, re-inspect promptly: issue a rectification order with a deadline, which creates the follow-up inspection task (Administrative Penalty Law Art. 28). Hand over the enforcement supervision card and note it in the record (State Council Opinion Guobanfa [2018] No. 118).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="24"/>
        <source>责令（限期）改正</source>
        <translation>Rectification order (with deadline)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="43"/>
        <source>行政执法案件监督卡</source>
        <translation>Enforcement supervision card</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="46"/>
        <source>记录已发放监督卡</source>
        <translation>Record that the card was handed over</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="49"/>
        <source>接收人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="60"/>
        <source>无（没有需要整改的不符合项）</source>
        <translation>None (no non-compliant item needs correcting)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="74"/>
        <source>已下达 %1，整改期限 %2；复查任务 %3 定于 %4。</source>
        <translation>Issued %1, deadline %2; follow-up task %3 scheduled for %4.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="80"/>
        <source>已于 %1 发放给 %2</source>
        <translation>Handed to %2 at %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_outcome.py" line="83"/>
        <source>尚未发放</source>
        <translation>Not handed over yet</translation>
    </message>
</context>
<context>
    <name>OverdueTable</name>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="28"/>
        <source>%1 分钟</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="31"/>
        <source>%1 小时</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="32"/>
        <source>%1 天 %2 小时</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="37"/>
        <source>情况</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="37"/>
        <source>执法人员</source>
        <translation>Officers</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="38"/>
        <source>执法记录仪</source>
        <translation>Body camera</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="38"/>
        <source>逾期</source>
        <translation>Late by</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="39"/>
        <source>检查任务</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="39"/>
        <source>处理</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="62"/>
        <source>录制于 %1，期限 %2</source>
        <translation>Recorded %1, due %2</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="68"/>
        <source>未同步至总部</source>
        <translation>Not synced to HQ</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="68"/>
        <source>仍在记录仪上，未导入</source>
        <translation>Still on the camera, not imported</translation>
    </message>
    <message>
        <location filename="../../ui/models/overdue_table.py" line="76"/>
        <source>未关联任务</source>
        <translation>No inspection</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="28"/>
        <source>依法例外开始检查</source>
        <translation>Start under a lawful exception</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="31"/>
        <source>以下阻止项依法允许例外。每项须填写理由、依据文号和批准人，并写入审计日志。</source>
        <translation>The law allows an exception to the blocks below. Each needs a reason, a reference and an approver, and is written to the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="43"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="44"/>
        <source>依据文号</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="45"/>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="56"/>
        <source>年度检查计划备案</source>
        <translation>Filing of the annual inspection plan</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="56"/>
        <source>检查预告</source>
        <translation>Pre-notice of the inspection</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="56"/>
        <source>检查事项清单</source>
        <translation>Check-item list</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="57"/>
        <source>检查频次</source>
        <translation>Inspection frequency</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/override_dialog.py" line="59"/>
        <source>依法例外</source>
        <translation>Lawful exception</translation>
    </message>
</context>
<context>
    <name>PairingPanel</name>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="54"/>
        <source>与总部配对</source>
        <translation>Pairing with HQ</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="141"/>
        <source>选择总部配对文件或二维码图片</source>
        <translation>Choose HQ&apos;s pairing file or QR code image</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="72"/>
        <source>我确认更换总部配对：此后数据包只加密给新的总部密钥</source>
        <translation>I confirm replacing the HQ pairing: bundles will be encrypted to the new HQ key only</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="62"/>
        <location filename="../../ui/widgets/pairing_panel.py" line="112"/>
        <source>选择配对文件或二维码图片</source>
        <translation>Choose pairing file or QR image</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="65"/>
        <source>摄像头扫描二维码</source>
        <translation>Scan QR code with camera</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="73"/>
        <location filename="../../ui/widgets/pairing_panel.py" line="130"/>
        <source>确认配对</source>
        <translation>Confirm pairing</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="77"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="108"/>
        <source>本设备尚未与总部配对。请选择总部提供的配对文件或配对二维码图片。</source>
        <translation>This device is not paired with HQ yet. Choose the pairing file or pairing QR code image HQ provided.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="110"/>
        <source>已与总部配对。总部签名公钥指纹：
%1</source>
        <translation>Paired with HQ. HQ signing key fingerprint:
%1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="113"/>
        <source>更换总部配对…</source>
        <translation>Replace the HQ pairing…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="120"/>
        <source>您当前的身份不能与总部配对。</source>
        <translation>Your role cannot pair this device with HQ.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="130"/>
        <source>确认更换总部配对</source>
        <translation>Confirm replacing the HQ pairing</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="142"/>
        <source>配对文件或二维码图片 (*.json *.png *.jpg *.jpeg *.bmp)</source>
        <translation>Pairing file or QR code image (*.json *.png *.jpg *.jpeg *.bmp)</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="172"/>
        <source>正在扫描：请将总部的配对二维码置于摄像头前…</source>
        <translation>Scanning: hold HQ&apos;s pairing QR code in front of the camera…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="192"/>
        <source>所选总部签名公钥指纹：
%1
请与总部告知的指纹逐组核对，一致后再确认。</source>
        <translation>Fingerprint of the chosen HQ signing key:
%1
Compare it group by group with the fingerprint HQ told you; confirm only if they match.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="195"/>
        <source>这是另一总部的密钥：确认后，本设备不再使用上面已配对的总部密钥。</source>
        <translation>These are another HQ&apos;s keys: once confirmed, this device no longer uses the paired HQ key shown above.</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pairing_panel.py" line="197"/>
        <source>本设备已与这一总部配对，确认不会改变任何设置。</source>
        <translation>This device is already paired with this HQ; confirming changes nothing.</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="86"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="86"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>PinPanel</name>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="129"/>
        <source>PIN（6–12 位数字）</source>
        <translation>PIN (6–12 digits)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="130"/>
        <source>再次输入 PIN</source>
        <translation>Enter the PIN again</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="135"/>
        <location filename="../../ui/pages/sign_in.py" line="207"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="137"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="167"/>
        <source>正在验证 PIN…</source>
        <translation>Checking the PIN…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="192"/>
        <source>PIN 错误次数过多，请在 %1 秒后重试。</source>
        <translation>Too many wrong PINs: try again in %1 s.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="198"/>
        <source>可以再次输入 PIN。</source>
        <translation>You may enter the PIN again.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="205"/>
        <source>您的 PIN 来自早期版本，须更换：请设置 6–12 位数字的新 PIN，并再次输入确认。</source>
        <translation>Your PIN is from an earlier version and must be replaced: choose a new PIN of 6–12 digits and type it again to confirm.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="207"/>
        <source>更换并登录</source>
        <translation>Replace and sign in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="206"/>
        <source>请输入本人 PIN。</source>
        <translation>Enter your PIN.</translation>
    </message>
</context>
<context>
    <name>PreconditionsTab</name>
    <message>
        <location filename="../../ui/pages/demolition.py" line="45"/>
        <source>案件与公告</source>
        <translation>Case and announcement</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="49"/>
        <source>应急预案与救济情况</source>
        <translation>Emergency plan and remedies</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="52"/>
        <source>应急预案：警戒、救护、撤离、报告……</source>
        <translation>Emergency plan: cordon, first aid, evacuation, reporting…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="53"/>
        <source>当事人已申请行政复议</source>
        <translation>The party has applied for reconsideration</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="54"/>
        <source>当事人已提起行政诉讼</source>
        <translation>The party has brought a lawsuit</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="55"/>
        <source>修改案件信息</source>
        <translation>Edit case</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="56"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="70"/>
        <source>紧急情况理由（仅用于夜间或节假日，写入审计日志）</source>
        <translation>Emergency reason (only at night or on a holiday; written to the audit log)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="71"/>
        <source>开始执行</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="82"/>
        <source>当事人</source>
        <translation>Party</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="82"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="82"/>
        <source>拆除对象</source>
        <translation>Structure</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="83"/>
        <source>拆除方式</source>
        <translation>Means</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="83"/>
        <source>决定书</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="84"/>
        <source>公告文号</source>
        <translation>Announcement no.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="84"/>
        <source>公告送达日</source>
        <translation>Announcement served</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="85"/>
        <source>自行拆除期限</source>
        <translation>Self-demolition deadline</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="86"/>
        <source>清除财物期限</source>
        <translation>Removal deadline</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="87"/>
        <source>到场通知</source>
        <translation>Notice to attend</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="87"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="103"/>
        <source>不得开始强制拆除（%1 项阻止）</source>
        <translation>The demolition may not start (%1 blocking)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="104"/>
        <source>前置条件已满足，可以依法开始执行</source>
        <translation>Preconditions met: the demolition may lawfully start</translation>
    </message>
    <message>
        <location filename="../../ui/pages/demolition.py" line="106"/>
        <source>已开始执行，前置条件在开始时已核验。</source>
        <translation>Started; the preconditions were checked at the start.</translation>
    </message>
</context>
<context>
    <name>ReturnedCard</name>
    <message>
        <location filename="../../ui/pages/today.py" line="84"/>
        <source>退回：</source>
        <translation>Returned: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="87"/>
        <source>审核意见（%1）：</source>
        <translation>Review comment (%1): </translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="90"/>
        <source>补正情况</source>
        <translation>What you corrected</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="92"/>
        <source>答复并重新提交</source>
        <translation>Answer and resubmit</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../ui/pages/review.py" line="64"/>
        <location filename="../../ui/pages/review.py" line="433"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="85"/>
        <source>审核意见（退回时必填）</source>
        <translation>Comment (required to return)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="87"/>
        <source>关联检查项编号（可选）</source>
        <translation>Link to check item code (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="88"/>
        <source>通过</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="89"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="90"/>
        <source>标为关键证据</source>
        <translation>Mark as key evidence</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="108"/>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="109"/>
        <source>关联</source>
        <translation>Finding</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="115"/>
        <location filename="../../ui/pages/review.py" line="250"/>
        <source>选择一项查看大图</source>
        <translation>Select an item to see it large</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="158"/>
        <source>对象（任务编号、SHA-256…）</source>
        <translation>Target (task number, SHA-256…)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="183"/>
        <source>选中一条记录，查看其原始内容</source>
        <translation>Select an entry to see it as stored</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="210"/>
        <source>待审核</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="211"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="212"/>
        <source>逾期未导入/未同步</source>
        <translation>Overdue (not ingested / not synced)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="270"/>
        <source>无预览</source>
        <translation>No preview</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="293"/>
        <source>只有带队/审核人员可以审核证据、查看审计日志和逾期提醒。您当前的身份不能使用本页。</source>
        <translation>Only team leaders review evidence and read the audit log and overdue flags. Your role cannot use this page.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="329"/>
        <source>全部检查任务</source>
        <translation>All inspections</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="330"/>
        <source>全部采集人</source>
        <translation>All collectors</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="336"/>
        <source>未关联任务</source>
        <translation>No inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="355"/>
        <source>%1 项待审核</source>
        <translation>%1 awaiting review</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="389"/>
        <source>正在签署审核决定…</source>
        <translation>Signing the review decisions…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="404"/>
        <source>已签署 %1 项审核决定。</source>
        <translation>%1 review decision(s) signed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="425"/>
        <source>审计日志链校验失败：第 %1 条起被改动或删除（%2 处问题）。</source>
        <translation>Audit chain check failed: entries altered or removed from no. %1 (%2 problem(s)).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="429"/>
        <source>审计日志链完整：%1 条记录，未发现改动或删除。</source>
        <translation>Audit chain intact: %1 entries, none altered or removed.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="431"/>
        <source>仅被拒绝的操作</source>
        <translation>Refused acts only</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="431"/>
        <source>登录与 PIN</source>
        <translation>Sign-in and PINs</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="432"/>
        <source>检查</source>
        <translation>Inspections</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="432"/>
        <source>现场笔录</source>
        <translation>On-site records</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="432"/>
        <source>例外登记</source>
        <translation>Recorded exceptions</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="433"/>
        <source>证据</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="433"/>
        <source>强制拆除</source>
        <translation>Forced demolition</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="434"/>
        <source>执法记录仪</source>
        <translation>Body cameras</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="434"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="436"/>
        <source>全部人员</source>
        <translation>Everyone</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="437"/>
        <source>全部操作</source>
        <translation>All actions</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="484"/>
        <source>从记录仪导入</source>
        <translation>Import from the camera</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="488"/>
        <source>已提醒 %1</source>
        <translation>Reminded %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="489"/>
        <source>标记已提醒</source>
        <translation>Mark as reminded</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="501"/>
        <source>已记录：已提醒相关执法人员尽快同步。</source>
        <translation>Recorded: the officers concerned were reminded to sync soon.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/review.py" line="478"/>
        <source>执法记录应在收班后 %1 小时内导入并同步（本机关设置）；以下 %2 项已逾期。</source>
        <translation>Recordings are to be ingested and synced within %1 hours of the end of duty (agency setting); %2 are overdue.</translation>
    </message>
</context>
<context>
    <name>ReviewQueueModel</name>
    <message>
        <location filename="../../ui/models/review_queue.py" line="32"/>
        <source>待审核</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="33"/>
        <source>已答复，待再审</source>
        <translation>Answered, to review again</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="34"/>
        <source>已通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="35"/>
        <source>关键证据</source>
        <translation>Key evidence</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="36"/>
        <source>已退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="39"/>
        <source>校验中…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="40"/>
        <source>封存完好</source>
        <translation>Seal intact</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="41"/>
        <source>已重新校验</source>
        <translation>Re-verified</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="42"/>
        <source>封存异常</source>
        <translation>Seal broken</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="47"/>
        <source>采集时间</source>
        <translation>Captured</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="48"/>
        <source>证据种类</source>
        <translation>Evidence type</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="49"/>
        <source>采集人</source>
        <translation>Collected by</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="50"/>
        <source>检查任务</source>
        <translation>Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="51"/>
        <source>审核状态</source>
        <translation>Review state</translation>
    </message>
    <message>
        <location filename="../../ui/models/review_queue.py" line="52"/>
        <source>封存</source>
        <translation>Seal</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../ui/pages/settings.py" line="17"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="23"/>
        <source>选择后界面立即切换，并在下次启动时沿用。</source>
        <translation>The interface switches at once and keeps the choice at the next start.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="31"/>
        <source>界面语言</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="33"/>
        <source>数据目录</source>
        <translation>Data folder</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="34"/>
        <source>基础数据版本</source>
        <translation>Reference data version</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="35"/>
        <source>数据库结构版本</source>
        <translation>Database schema version</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="36"/>
        <source>修改本人 PIN</source>
        <translation>Change my PIN</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="41"/>
        <source>修改 PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="47"/>
        <source>当前 PIN</source>
        <translation>Current PIN</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="48"/>
        <source>新 PIN</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <location filename="../../ui/pages/settings.py" line="49"/>
        <source>再次输入新 PIN</source>
        <translation>New PIN again</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="239"/>
        <source>现场执法检查终端</source>
        <translation>FieldInspect — On-site Inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="241"/>
        <location filename="../../ui/pages/sign_in.py" line="281"/>
        <source>请选择本人登录</source>
        <translation>Choose yourself to sign in</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="283"/>
        <source>屏幕已锁定。%1 输入 PIN 可继续当前工作；其他人员登录即切换用户。</source>
        <translation>Screen locked. %1 can enter the PIN to carry on; anyone else signing in switches user.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sign_in.py" line="338"/>
        <source>无法记录登录：%1</source>
        <translation>The sign-in cannot be recorded: %1</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../ui/widgets/signature_pad.py" line="45"/>
        <source>请在此区域内签名</source>
        <translation>Sign inside this area</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/signature_pad.py" line="139"/>
        <source>请在此处签名</source>
        <translation>Sign here</translation>
    </message>
</context>
<context>
    <name>SignatureStep</name>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="30"/>
        <source>签名</source>
        <translation>Signatures</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="31"/>
        <source>现场检查笔录由执法人员和当事人签名；当事人拒绝签名的，注明理由并由见证人签名；当事人不在场的，由见证人签名（《行政处罚法》第五十五条、《行政强制法》第十八条）。</source>
        <translation>The on-site record is signed by the officers and the party; when the party refuses, the reason is noted and a witness signs; when the party is absent, a witness signs (Administrative Penalty Law Art. 55; Administrative Coercion Law Art. 18).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="34"/>
        <source>签名人</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="43"/>
        <source>身份证件号码</source>
        <translation>ID document number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="44"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="45"/>
        <source>执法人员</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="46"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="47"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="49"/>
        <source>签名板（手写笔、手指或鼠标）</source>
        <translation>Signature pad (pen, finger or mouse)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="54"/>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="56"/>
        <source>保存签名</source>
        <translation>Save signature</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="69"/>
        <source>当事人拒绝签名</source>
        <translation>The party refuses to sign</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="73"/>
        <source>拒签理由或情况</source>
        <translation>Reason or circumstances of the refusal</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="75"/>
        <source>记录拒签（须先由见证人签名）</source>
        <translation>Record the refusal (a witness signs first)</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="77"/>
        <source>理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="78"/>
        <source>见证人签名</source>
        <translation>Witness signature</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="107"/>
        <source>当事人拒绝签名：%1</source>
        <translation>The party refused to sign: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/onsite_signatures.py" line="122"/>
        <source>请先在签名板上签名。</source>
        <translation>Sign on the pad first.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../ui/pages/sync.py" line="93"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="95"/>
        <source>收班时将加密、签名的数据包断点续传至执法监督平台；总部签名回执核验后，记录才标记为已同步。</source>
        <translation>At the end of the shift, the encrypted, signed bundle is uploaded to the supervision platform and resumes after any interruption; records are marked synced only when HQ&apos;s signed receipt verifies.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="102"/>
        <source>总部可连接时自动同步</source>
        <translation>Sync automatically when HQ is reachable</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="108"/>
        <source>总部接收端地址</source>
        <translation>HQ receiver URL</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="110"/>
        <source>总部连接状态</source>
        <translation>HQ connection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="111"/>
        <source>当前基础数据</source>
        <translation>Current reference data</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="115"/>
        <source>结束值班同步</source>
        <translation>End-of-shift sync</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="122"/>
        <source>待发送</source>
        <translation>Pending</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="127"/>
        <source>没有正在进行的上传</source>
        <translation>No upload in progress</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="129"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="133"/>
        <source>正在上传</source>
        <translation>In flight</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="145"/>
        <source>总部已确认</source>
        <translation>Acknowledged by HQ</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="147"/>
        <source>总部拒收</source>
        <translation>Rejected by HQ</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="225"/>
        <source>本设备尚未与总部配对：请先在“与总部配对”中选择总部的配对文件或二维码，配对后即可同步。</source>
        <translation>This device is not paired with HQ: first choose HQ&apos;s pairing file or QR code under &quot;Pairing with HQ&quot;; then you can sync.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="227"/>
        <source>没有待同步的数据：所有记录均已被总部确认。</source>
        <translation>Nothing to send: HQ has acknowledged every record.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="229"/>
        <source>证据 %1 件（%2），检查记录 %3 份，审计记录 %4 条</source>
        <translation>%1 evidence items (%2), %3 inspection records, %4 audit entries</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="233"/>
        <source>待确认的数据包：%1（%2），将原样续传</source>
        <translation>Bundle awaiting a receipt: %1 (%2); it will be resumed as it is</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="250"/>
        <source>请先填写总部接收端地址。</source>
        <translation>Enter the HQ receiver URL first.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="260"/>
        <source>已取消；下次同步将从断点继续。</source>
        <translation>Cancelled; the next sync resumes where this one stopped.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="266"/>
        <source>正在准备数据包…</source>
        <translation>Preparing the bundle…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="275"/>
        <source>正在生成加密数据包：已写入 %1</source>
        <translation>Building the encrypted bundle: %1 written</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="278"/>
        <source>已发送 %1 / %2 · 速率 %3/s · 剩余 %4</source>
        <translation>Sent %1 / %2 · %3/s · %4 left</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="282"/>
        <source>连接中断，正在重试：%1</source>
        <translation>Connection lost, retrying: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="286"/>
        <source>已全部送达，等待总部核验并签发回执…</source>
        <translation>All bytes delivered; waiting for HQ to check the bundle and sign a receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="289"/>
        <source>正在获取并核验总部基础数据…</source>
        <translation>Fetching and verifying HQ&apos;s reference data…</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="296"/>
        <source>总部已确认 %1 个数据包。</source>
        <translation>HQ acknowledged %1 bundle(s).</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="298"/>
        <source>总部拒收 %1 个数据包，原因见下表。</source>
        <translation>HQ rejected %1 bundle(s); see the reasons below.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="300"/>
        <source>没有待同步的数据。</source>
        <translation>Nothing to send.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="302"/>
        <source>基础数据已更新。</source>
        <translation>Reference data updated.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="309"/>
        <source>同步失败：%1</source>
        <translation>Sync failed: %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="334"/>
        <source>可连接</source>
        <translation>Reachable</translation>
    </message>
    <message>
        <location filename="../../ui/pages/sync.py" line="334"/>
        <source>无法连接</source>
        <translation>Not reachable</translation>
    </message>
</context>
<context>
    <name>SyncTables</name>
    <message>
        <location filename="../../ui/models/sync_tables.py" line="41"/>
        <location filename="../../ui/models/sync_tables.py" line="51"/>
        <source>批次</source>
        <translation>Bundle</translation>
    </message>
    <message>
        <location filename="../../ui/models/sync_tables.py" line="41"/>
        <source>序号</source>
        <translation>Sequence</translation>
    </message>
    <message>
        <location filename="../../ui/models/sync_tables.py" line="42"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../ui/models/sync_tables.py" line="42"/>
        <source>回执时间</source>
        <translation>Receipt time</translation>
    </message>
    <message>
        <location filename="../../ui/models/sync_tables.py" line="51"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/models/sync_tables.py" line="52"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/models/sync_tables.py" line="52"/>
        <source>总部给出的原因</source>
        <translation>HQ&apos;s reason</translation>
    </message>
</context>
<context>
    <name>TaskCard</name>
    <message>
        <location filename="../../ui/pages/today.py" line="43"/>
        <source>信用 %1</source>
        <translation>Credit %1</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="47"/>
        <source>执法人员：</source>
        <translation>Officers: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="48"/>
        <source>辅助：</source>
        <translation>Assisting: </translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="54"/>
        <source>查看任务</source>
        <translation>Open task</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="56"/>
        <source>开始检查</source>
        <translation>Start inspection</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="57"/>
        <source>继续检查</source>
        <translation>Continue inspection</translation>
    </message>
</context>
<context>
    <name>ThumbnailCache</name>
    <message>
        <location filename="../../ui/thumbnails.py" line="230"/>
        <source>磁盘空间已满：缩略图未能保存，照片照常显示，证据不受影响。请腾出空间。</source>
        <translation>The disk is full: thumbnails could not be saved. Photos still show and the evidence is unaffected. Free some space.</translation>
    </message>
    <message>
        <location filename="../../ui/thumbnails.py" line="231"/>
        <source>数据目录所在介质为只读：缩略图未能保存，照片照常显示，证据不受影响。</source>
        <translation>The data folder is on a read-only medium: thumbnails could not be saved. Photos still show and the evidence is unaffected.</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <location filename="../../ui/pages/today.py" line="114"/>
        <source>退回待补正</source>
        <translation>Returned for correction</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="130"/>
        <source>今天没有分配给您的检查任务。</source>
        <translation>No inspection tasks are assigned to you today.</translation>
    </message>
    <message>
        <location filename="../../ui/pages/today.py" line="152"/>
        <source>今日任务</source>
        <translation>Today&apos;s tasks</translation>
    </message>
</context>
<context>
    <name>VideoPreview</name>
    <message>
        <location filename="../../ui/widgets/video_preview.py" line="44"/>
        <location filename="../../ui/widgets/video_preview.py" line="125"/>
        <source>播放</source>
        <translation>Play</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_preview.py" line="52"/>
        <source>播放位置</source>
        <translation>Playback position</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_preview.py" line="58"/>
        <source>无法播放：%1</source>
        <translation>Cannot play: %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_preview.py" line="79"/>
        <source>正在解密视频…</source>
        <translation>Decrypting the video…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/video_preview.py" line="125"/>
        <source>暂停</source>
        <translation>Pause</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../ui/labels.py" line="24"/>
        <source>计划检查</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="25"/>
        <source>专项行动</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="26"/>
        <source>投诉举报</source>
        <translation>Complaint</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="27"/>
        <source>突发事件</source>
        <translation>Emergency</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="28"/>
        <source>上级交办</source>
        <translation>Assignment</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="29"/>
        <source>整改复查</source>
        <translation>Follow-up re-inspection</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="30"/>
        <source>符合</source>
        <translation>Compliant</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="31"/>
        <source>不符合</source>
        <translation>Non-compliant</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="32"/>
        <source>不适用</source>
        <translation>Not applicable</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="33"/>
        <source>未检查</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="34"/>
        <source>指导</source>
        <translation>Guidance</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="35"/>
        <source>建议</source>
        <translation>Advice</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="36"/>
        <source>提醒</source>
        <translation>Reminder</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37"/>
        <source>规劝</source>
        <translation>Persuasion</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="38"/>
        <source>约谈</source>
        <translation>Interview</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="39"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="40"/>
        <source>轻微并及时改正，没有造成危害后果（第三十三条第一款）</source>
        <translation>Minor, promptly corrected, no harm (Art. 33 para. 1)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="42"/>
        <source>初次违法且危害后果轻微并及时改正（第三十三条第一款）</source>
        <translation>First violation, minor harm, promptly corrected (Art. 33 para. 1)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="44"/>
        <source>有证据足以证明没有主观过错（第三十三条第二款）</source>
        <translation>Sufficient evidence of no fault (Art. 33 para. 2)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="47"/>
        <source>当事人</source>
        <translation>Party</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="48"/>
        <source>见证人</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="49"/>
        <source>待检查</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="50"/>
        <source>检查中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="51"/>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="52"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="53"/>
        <source>已备案</source>
        <translation>Filed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="54"/>
        <source>备案中</source>
        <translation>Filing pending</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="55"/>
        <source>未备案</source>
        <translation>Not filed</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="56"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="57"/>
        <source>白名单</source>
        <translation>White list</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="58"/>
        <source>黑名单</source>
        <translation>Black list</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="79"/>
        <source>演示数据</source>
        <translation>demo data</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="80"/>
        <source>总部</source>
        <translation>headquarters</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="46"/>
        <location filename="../../ui/labels.py" line="59"/>
        <source>执法人员</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="60"/>
        <source>辅助人员</source>
        <translation>Auxiliary staff</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="61"/>
        <source>带队/审核</source>
        <translation>Team leader</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="62"/>
        <source>设备管理员</source>
        <translation>Device administrator</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="63"/>
        <source>执法证有效</source>
        <translation>Certificate valid</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="64"/>
        <source>执法证已过期</source>
        <translation>Certificate expired</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="65"/>
        <source>执法证已吊销</source>
        <translation>Certificate revoked</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="66"/>
        <source>无执法证</source>
        <translation>No certificate</translation>
    </message>
</context>
</TS>
