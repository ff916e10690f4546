//go:build ignore

package main

import "github.com/ietf-tools/liaisond/mailproc/pdftext"

// holdoutMessages are the held-out messages of testdata/holdout that carry
// a .docx or a PDF (written with -set holdout). They reconstruct real
// statements (sources in testdata/holdout/README.md) with paraphrased text;
// their expectations were written before the extractor was run on them.
func holdoutMessages() []message {
	// 03: an IEEE 802.1 letter as a PDF; the subject wraps onto a second
	// line; the deadline is in the last paragraph.
	ieeeLetter := pdfLines(letterLines(72, 770, 15, []string{
		"IEEE 802.1 Working Group",
		"IEEE 802 LAN/MAN Standards Committee",
		"",
		"22 November 2021",
		"",
		"To:      Lou Berger and Janos Farkas, Chairs, IETF DetNet Working Group",
		"Cc:      Paul Nikolich, Chair, IEEE 802 LMSC; John Messenger, Vice-Chair, IEEE 802.1",
		"Subject: Liaison response to work items related to deterministic",
		"         communication in ITU-T SG13",
		"",
		"Dear Lou and Janos,",
		"",
		"The IEEE 802.1 Working Group thanks ITU-T Study Group 13 for the information in its",
		"liaison statement SG13-LS217 on work items related to deterministic communication,",
		"and shares its response with the IETF DetNet WG.",
		"",
		"Deterministic communication is standardized in three coordinated places: IEEE 802.1",
		"Time-Sensitive Networking (TSN), IETF Deterministic Networking (DetNet) and 3GPP SA2.",
		"The TSN Task Group develops profiles for applications in local and metropolitan area",
		"networks (IEC/IEEE 60802, P802.1DG, P802.1DP) and relies on its coordination with the",
		"IETF and 3GPP for needs beyond them.",
		"",
		"We ask the IETF DetNet WG to review this response and to send us any comments",
		"by 31 December 2021.",
		"",
		"Sincerely,",
		"Glenn Parsons",
		"Chair, IEEE 802.1 Working Group",
	}))

	// 07: a 3GPP TSG SA reply LS in a .docx; IETF only in Cc.
	saNGP := docx([]string{
		"3GPP TSG SA Meeting #76\tSP-170579",
		"West Palm Beach, USA, 7 - 9 June 2017",
	}, [][2]string{
		{"Title:", "Reply LS to liaison statement on requesting support for defining next generation protocols"},
		{"Response to:", "LS from ETSI ISG NGP on requesting support for defining next generation protocols"},
		{"Release:", "Rel-15"},
		{"Work Item:", "-"},
		{"Source:", "TSG SA"},
		{"To:", "ETSI ISG NGP"},
		{"Cc:", "IETF, TSG CT, TSG RAN"},
		{"Contact Person:", "Name: Georg Mayer"},
		{"", "E-mail Address: georg.mayer@example.com"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"TSG SA thanks ETSI ISG NGP for its liaison statement on requesting support for defining next generation protocols. The statement was discussed in TSG CT, TSG RAN and TSG SA, and this reply summarizes the outcome.",
		"Given the short time frame of the 5G work (Rel-15 and Rel-16), 3GPP does not see it as feasible to start a new study on completely new protocols based on the ISG NGP requirements. The CT working groups are studying protocol requirements for 5G, and adaptations of existing protocols are in scope; ISG NGP member companies are invited to contribute to that study directly.",
		"3GPP does not intend to initiate or coordinate communication between ETSI ISG NGP and the IETF, and would be happy to consider more significant protocol changes after Rel-16.",
		"2. Actions:",
		"To ETSI ISG NGP: none.",
		"3. Date of Next TSG SA Meetings:",
		"TSG SA Meeting #77\t11 - 13 September 2017\tSapporo, JP",
	})

	// 10: an ITU-T Focus Group LS in a .docx, "LIAISON STATEMENT" as a
	// heading row between the identity rows and the labelled rows.
	fgIMT := docxCells([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2013-2016",
	}, [][][]string{
		{{"FOCUS GROUP ON IMT-2020"}, {"FG IMT-2020-OLS-0004"}},
		{{"Original: English"}, {"Geneva, 5-9 December 2016"}},
		{{"LIAISON STATEMENT"}},
		{{"Source:"}, {"ITU-T Focus Group on IMT-2020"}},
		{{"Title:"}, {"LS on the completion of ITU-T Focus Group on IMT-2020 and start of normative work in ITU-T Study Group 13"}},
		{{"For action to:"}, {"-"}},
		{{"For information to:"}, {"IETF, 3GPP, ETSI, IEEE 802, ITU-R WP 5D"}},
		{{"Approval:"}, {"Agreed at the FG IMT-2020 meeting (Geneva, 5-9 December 2016)"}},
		{{"Deadline:"}, {"-"}},
		{{"Contact:"}, {"Peter Ashwood-Smith", "Chairman, FG IMT-2020", "E-mail: peter.ashwoodsmith@example.com"}},
	}, []string{
		"We would like to inform you that from its establishment under ITU-T Study Group 13 on 1 May 2015 until its final meeting in Geneva, 5-9 December 2016, the Focus Group on IMT-2020 identified 85 non-radio standards gaps for IMT-2020 and developed draft Recommendations and Technical Reports on network architecture with fixed-mobile convergence, network softwarization, end-to-end quality of service and network management, fronthaul/backhaul and information-centric networking.",
		"In 2017 SG13 will start normative work on the non-radio aspects of IMT-2020 in a dedicated working party, based on the Focus Group's output. The first SG13 meeting of the study period will be held in Geneva, 6-17 February 2017.",
		"SG13 appreciates your interest and continued collaboration on this topic.",
	})

	// 11: an ITU-T SG17 LS in a PDF laid out as a label/value table; the
	// title wraps in the value column; a deadline and several addressees.
	sg17 := pdfLines(append(letterLines(72, 780, 14, []string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2025-2028",
	}), append(tableLines(72, 200, 720, 14, [][2]string{
		{"Question(s):", "All/17"},
		{"", "LIAISON STATEMENT"},
		{"Source:", "ITU-T Study Group 17"},
		{"Title:", "LS on the progress of the Correspondence Group on SG17 Strategy for AI"},
		{"", "Security in Telecommunications/ICTs (CG-AISEC-STRAT)"},
		{"For action to:", "IETF IAB and IESG"},
		{"Approval:", "Agreed at ITU-T SG17 meeting (Geneva, 13-22 January 2026)"},
		{"Deadline:", "9 March 2026"},
		{"Contact:", "Arnaud Taddei, Convener, CG-AISEC-STRAT  E-mail: arnaud.taddei@example.com"},
	}), letterLines(72, 580, 14, []string{
		"ITU-T Study Group 17 is pleased to inform the IETF IAB and IESG that its April 2025",
		"meeting set up a Correspondence Group on an SG17 strategy for AI security in",
		"telecommunications/ICTs (CG-AISEC-STRAT). The group has produced a draft deliverable,",
		"\"Artificial intelligence security standardization strategy\", attached for review.",
		"SG17 would appreciate the comments of the IAB and IESG before 9 March 2026.",
	})...)...))

	// 19: an ITU-T SG15 reply LS in a .docx: heading row, reply reference in
	// the title, a contact over several paragraphs of one cell.
	sg15DWDM := docxCells([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2017-2020",
	}, [][][]string{
		{{"STUDY GROUP 15"}, {"SG15-LS126"}},
		{{"Original: English"}, {"Geneva, 22 October - 2 November 2018"}},
		{{"Question(s):"}, {"6/15"}},
		{{"LIAISON STATEMENT"}},
		{{"Source:"}, {"ITU-T Study Group 15"}},
		{{"Title:"}, {"Liaison Statement to IETF CCAMP on DWDM framework (reply to IETF CCAMP WG \u2013 LS17)"}},
		{{"For action to:"}, {"-"}},
		{{"For information to:"}, {"IETF CCAMP WG"}},
		{{"Approval:"}, {"Agreed at ITU-T SG15 meeting (Geneva, 2 November 2018)"}},
		{{"Deadline:"}, {"-"}},
		{{"Contact:"}, {"Peter Stassar", "Rapporteur Q6/15", "E-mail: peter.stassar@example.com"}},
	}, []string{
		"ITU-T Study Group 15 thanks IETF CCAMP for its liaison statement asking for comments on \u201cManagement and Control of DWDM Optical Interface\u201d. The liaison arrived too late for SG15 to answer by the requested deadline; we hope the comments below, on draft-ietf-ccamp-dwdm-if-mng-ctrl-fwk-11, are still useful.",
		"The draft describes three use cases: service setup, access link monitoring and power loop control. We regard all three as matters of the operation or implementation of DWDM networks and equipment, outside the scope of our Recommendations. We found no list of specific parameters to comment on and did not pursue that part of the request further.",
	})

	// 23: a 3GPP TSG SA response LS in a .docx, to an IETF WG.
	saTEAS := docx([]string{
		"3GPP TSG SA Meeting #110\tSP-251633",
		"9 - 12 December 2025",
	}, [][2]string{
		{"Title:", "LS Response on IETF Network Slice Application in 3GPP 5G End-to-End Network Slice"},
		{"Response to:", "LS on \u201cIETF Network Slice Application in 3GPP 5G End-to-End Network Slice\u201d from IETF TEAS WG"},
		{"Release:", "Rel-19"},
		{"Work Item:", "-"},
		{"Source:", "TSG SA"},
		{"To:", "IETF TEAS WG"},
		{"Cc:", "TSG RAN, RAN WG3, SA WG2, SA WG5"},
		{"Contact Person:", "Name: Zhu Jinguo"},
		{"", "E-mail Address: zhu.jinguo@example.cn"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"SA thanks the IETF TEAS WG for its LS asking 3GPP to check whether the description of the 3GPP 5G end-to-end network slice in the TEAS document is accurate. SA notes that RAN WG3 has already answered TEAS directly in R3-257304, and gives here further feedback collected from the SA working groups.",
		"Feedback 1: the CSMF, NSMF and NSSMF mentioned in the document are not standardized slicing management functions but deployment examples; SA5 suggests describing them as such.",
		"2. Actions:",
		"To IETF TEAS WG:",
		"SA kindly asks the IETF TEAS WG to take the above feedback into account.",
		"3. Date of Next TSG SA Meetings:",
		"TSG SA Meeting #111\t10 - 13 March 2026",
	})

	// 44 (batch 2): an IEEE 802.1 letter in a .docx, to an area.
	ieeeIMDM := docx([]string{
		"IEEE 802.1 Working Group",
		"IEEE 802 LAN/MAN Standards Committee",
		"18 September 2017",
		"To: Warren Kumari and Benoit Claise, IETF Operations and Management Area Directors",
		"Subject: Liaison response to ITU - T SG15 regarding coordination on IM/DM for OAM",
		"Dear Colleagues,",
		"Thank you for your liaison response, in reference to SG15-TD29R1/PLEN Annex I. We are pleased to inform you that IEEE 802.1 approved the Project Authorization Request for IEEE P802.1Qcx (YANG Data Model for Connectivity Fault Management) at the July 2017 IEEE 802 plenary, and we note your new Q14/15 work item on Recommendation G.8052.1.",
		"We will share our UML information model and YANG data model for CFM as they progress, so that Q14/15 can base the G.8052.1 information model on them, and we welcome a joint meeting in Geneva the week before the next SG15 plenary.",
		"This liaison is copied to the IETF for information.",
		"Regards,",
		"Glenn Parsons",
		"Chair, IEEE 802.1 Working Group",
	}, nil, nil)

	// 47 (batch 3): a 3GPP SA3 LS as a .docx inside the tdoc's .zip.
	sa3Identity := docx([]string{
		"3GPP TSG-SA WG3 Meeting #123\tS3-262105",
		"Fukuoka, Japan, 18 - 22 May 2026",
	}, [][2]string{
		{"Title:", "LS on supporting transmission of large identity in EAP-AKA’"},
		{"Response to:", "-"},
		{"Release:", "Rel-20"},
		{"Study Item:", "FS_PQC_3GPP"},
		{"Source:", "SA3"},
		{"To:", "IETF EMU"},
		{"Cc:", "-"},
		{"Contact Person:", "Name: Tao Wan"},
		{"", "E-mail Address: tao.wan@example.com"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"SA3 is studying the transition to post-quantum cryptography (PQC) in 3GPP (TR 33.703), including the computation of the Subscription Concealed Identifier (SUCI) with PQC algorithms. A SUCI computed this way may be larger than the EAP MTU of 1020 bytes and than the Ethernet MTU of 1500 bytes.",
		"The UE sends the SUCI to the EAP server in an EAP-Response/Identity or an EAP-Response/AKA-Identity message, but neither EAP (RFC 3748) nor EAP-AKA' (RFC 5448, RFC 9048) can fragment an identity that does not fit in the EAP MTU.",
		"2. Actions:",
		"To IETF EMU",
		"ACTION: SA3 kindly asks IETF EMU to consider updating EAP-AKA' so that an identity larger than the EAP MTU can be transmitted, and to inform SA3 of its decision.",
		"3. Date of Next TSG-SA WG3 Meetings:",
		"SA3#124\t10 - 14 August 2026\tMaastricht, NL",
		"SA3#125\t9 - 13 November 2026\tSan Diego, US",
	})
	sa3Zip := plainZip([][2]string{{"S3-262105.docx", string(sa3Identity)}})

	// --- batch 5 (63-70): sources in testdata/holdout/README.md once the
	// lead adds them; bodies paraphrased, numbers marked in each .json.

	// 63: an ITU-T SG13 LS in a .docx, "For information to: IETF", a
	// heading row, the title in curly quotes.
	sg13SFO := docxCells([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2017-2020",
	}, [][][]string{
		{{"STUDY GROUP 13"}, {"SG13-LS249"}},
		{{"Original: English"}, {"Virtual, 29 November - 10 December 2021"}},
		{{"Question(s):"}, {"2/13"}},
		{{"LIAISON STATEMENT"}},
		{{"Source:"}, {"ITU-T Study Group 13"}},
		{{"Title:"}, {"LS on the new work item on \u201cRequirements and framework of Service Function Orchestration based on SFC (Y.SFO)\u201d"}},
		{{"For action to:"}, {"-"}},
		{{"For information to:"}, {"IETF"}},
		{{"Approval:"}, {"ITU-T SG13 meeting (virtual, 10 December 2021)"}},
		{{"Deadline:"}, {"N/A"}},
		{{"Contact:"}, {"Lin Qiao", "Rapporteur Q2/13", "E-mail: lin.qiao@example.cn"}},
	}, []string{
		"At the virtual ITU-T SG13 meeting of 29 November to 10 December 2021, Question 2/13 (evolution of next-generation networks with innovative technologies, including SDN and NFV) agreed to start a new work item, draft Recommendation ITU-T Y.SFO, \u201cRequirements and framework of service function orchestration based on service function chain\u201d (TD697/WP3).",
		"Y.SFO will describe scenarios in which service functions are orchestrated along a service function chain, for instance following the requirements of a user or the resources available, so that functions are deployed and adjusted on demand, resources are used efficiently and load is shared among service functions. It will specify general requirements and a basic framework.",
		"The draft builds on ITU-T Y.2012, Y.2324, Y.2501 and the Q.CPN work. For the encapsulation and creation of service function chains it also relates to IETF RFC 7665 and to the Internet-Draft on a framework for constructing service function chaining systems based on segment routing.",
		"Q2/13 thanks you for your attention and welcomes your feedback and continued cooperation on this topic.",
	})

	// 64: an ITU-T SG11 LS in a PDF laid out as a label/value table, the
	// title wrapped in the value column, for information to SG13 and to a
	// working group the example does not configure; two contacts.
	sg11SFCP := pdfLines(append(append(letterLines(72, 770, 14, []string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2025-2028",
		"",
		"STUDY GROUP 11",
		"Original: English",
	}), pdftext.Line{X: 430, Y: 714, S: "SG11-LS96"}), append(tableLines(72, 190, 670, 14, [][2]string{
		{"Question(s):", "4/11"},
		{"Meeting, date:", "Geneva, 17-26 November 2025"},
		{"", "LIAISON STATEMENT"},
		{"Source:", "ITU-T Study Group 11"},
		{"Title:", "LS on initiation of new work item Q.SFCP \"Monitoring parameters for service"},
		{"", "function orchestration based on service function chaining\""},
		{"For action to:", "-"},
		{"For information to:", "ITU-T SG13, IETF SPRING"},
		{"Approval:", "Agreed at ITU-T SG11 meeting (Geneva, 26 November 2025)"},
		{"Deadline:", "N/A"},
		{"Contact:", "Tejpal Singh, Rapporteur Q4/11   E-mail: tejpal.singh@example.in"},
		{"Contact:", "M. Shi, China Telecom   E-mail: m.shi@example.cn"},
	}), letterLines(72, 480, 14, []string{
		"ITU-T Study Group 11 would like to inform ITU-T SG13 and IETF SPRING that it started a new work",
		"item, draft Recommendation ITU-T Q.SFCP \"Monitoring parameters for service function orchestration",
		"based on service function chaining\", at its meeting in Geneva, 17-26 November 2025.",
		"",
		"The draft Recommendation will define the parameters used to monitor service function",
		"orchestration based on service function chaining. By watching the service, orchestration,",
		"control and infrastructure layers together, it aims to keep service function chains available",
		"and the experience of their users good. The draft baseline agreed at the meeting is attached.",
		"",
		"ITU-T Study Group 11 looks forward to continued collaboration and exchange of information with",
		"SG13 and IETF SPRING on this topic.",
		"",
		"Attachment: Output - draft baseline of new work item Q.SFCP",
	})...)...))

	// 65: a Broadband Forum letter in a PDF; the organization is in the
	// letterhead and the signature only, the mail comes from a personal
	// address; an earlier liaison mentioned by its number.
	bbfONU := pdfLines(letterLines(72, 770, 14, []string{
		"Broadband Forum",
		"www.broadband-forum.org",
		"",
		"11 June 2025",
		"",
		"To:      Kent Watsen and Lou Berger, Chairs, IETF NETMOD Working Group",
		"Subject: Addressing ONU Management at Scale",
		"",
		"Dear Colleagues,",
		"",
		"The Broadband Forum is progressing WT-505, ONU Management at Scale, an enhancement of TR-385",
		"(YANG Modules for PON Management). We first told you about this project in our liaison",
		"LIAISE-595 in 2023.",
		"",
		"As the technical work progressed, we agreed on a short-term solution: a list of ONU templates",
		"and a list of ONU instances that refer to them. With it, the configuration datastore of an OLT",
		"serving many ONUs becomes much smaller than with one full entry per ONU.",
		"",
		"We see this as complementary to the requirements for templates now being gathered in the",
		"IETF for a long-term solution. Once that solution is available, we intend to realign our",
		"approach with it.",
		"",
		"For the ONU templates, we will define new YANG groupings holding data nodes that are first",
		"defined in existing Broadband Forum and IETF YANG modules. We therefore want you to know that",
		"this short-term solution copies some YANG definitions from IETF modules, following the IETF",
		"Trust's legal provisions for code components.",
		"",
		"This letter is for your information; no action is requested.",
		"",
		"Best regards,",
		"",
		"Lincoln Lavoie",
		"on behalf of the Broadband Forum",
	}))

	// 66: an IEEE 802.1 letter in a PDF: a response to a 3GPP LS, copied
	// to the IETF; the attachment's file name carries another 3GPP number
	// than the letter (as on the real record).
	ieeeInclusive := pdfLines(letterLines(72, 770, 14, []string{
		"IEEE 802.1 Working Group",
		"IEEE 802 LAN/MAN Standards Committee",
		"",
		"5 February 2021",
		"",
		"To:      Georg Mayer, Chair, 3GPP TSG SA",
		"Cc:      IETF Chair; Eric Gray, IETF liaison to IEEE 802.1",
		"Subject: Liaison response to LS SP-201142 on Use of Inclusive Language in 3GPP",
		"         specifications",
		"",
		"Dear Georg,",
		"",
		"The IEEE 802.1 Working Group thanks 3GPP TSG SA for liaison statement LS SP-201142 on the",
		"use of inclusive language in 3GPP specifications.",
		"",
		"Our organization is also working to use more inclusive and neutral language in its standards.",
		"An IEEE SA resolution of December 2020 states that IEEE standards should avoid non-inclusive",
		"and insensitive terms, and other deprecated terms, unless safety, legal or regulatory reasons",
		"require them; master/slave, blacklist and whitelist are among the terms to avoid.",
		"",
		"IEEE Std 802.1AS is a profile of IEEE Std 1588 and largely follows its terminology. The",
		"802.1 WG prefers to stay consistent with IEEE Std 1588, which IEEE P1588g is amending to",
		"define suitable inclusive terms, and is preparing a Project Authorization Request to update",
		"the terminology of IEEE Std 802.1AS in line with P1588g and with the expected revision of",
		"clause 10 of the IEEE SA Style Manual. We recommend that 3GPP also wait until the",
		"alternative IEEE 1588 terminology is final, so that the industry's standards stay aligned.",
		"",
		"We look forward to receiving an update from you. IEEE 802 work is open and contribution",
		"driven, and participation is on an individual basis.",
		"",
		"Sincerely,",
		"Glenn Parsons",
		"Chair, IEEE 802.1 Working Group",
	}))

	// 67 (a statement the IETF sent): the Security Area Directors' letter
	// to ETSI TC CYBER in a PDF, mailed by an AD with the liaison address
	// in Cc; a reply date and the reply addresses in the last paragraph.
	secMcTLS := pdfLines(letterLines(72, 770, 14, []string{
		"Internet Engineering Task Force (IETF)",
		"Security Area",
		"",
		"19 July 2017",
		"",
		"To:      ETSI TC CYBER (Alex Leadbeater, Chair)",
		"Cc:      IETF Chair",
		"From:    Kathleen Moriarty and Eric Rescorla, IETF Security Area Directors",
		"Subject: IETF Security Area Director Concerns with McTLS",
		"",
		"Dear colleagues,",
		"",
		"We recently became aware of the ETSI work on Multi-Context Transport Layer Security (mcTLS)",
		"and are writing to tell you of our concerns about it.",
		"",
		"The first is its name. Transport Layer Security (TLS) is a well-known protocol that the IETF",
		"has developed for over twenty years, and the IETF holds copyright and change control of the",
		"TLS specifications. A different protocol also called TLS, developed by another organization,",
		"would confuse developers, implementers and users.",
		"",
		"The design goals also differ. The IETF remains strongly committed to end-to-end security,",
		"which TLS gives to key IETF protocols, while the ETSI work appears to start from a different",
		"goal: enabling monitoring by a third party. Applications that use TLS rely on its end-to-end",
		"properties, so reusing the name would mislead. We therefore formally request that ETSI give",
		"its work a different name, so that implementers, users and governments are not confused",
		"about its properties or about those of TLS.",
		"",
		"We also have technical reservations. Protocols and applications that depend on the",
		"end-to-end properties of TLS would get different and weaker security from a multi-party",
		"transport security protocol such as mcTLS, and that unexpected behaviour is a serious risk.",
		"",
		"We would appreciate your response by 6 October 2017. Please address it to both of us:",
		"Kathleen Moriarty <kathleen.moriarty@example.com> and Eric Rescorla <ekr@example.com>.",
		"",
		"Regards,",
		"Kathleen Moriarty and Eric Rescorla",
		"IETF Security Area Directors",
	}))

	// 68: a 3GPP RAN WG3 LS in a .docx (a working group the example does
	// not configure), forwarded inline by a TSVWG chair; the reply date
	// is in the Actions section.
	ran3DTLS := docx([]string{
		"3GPP TSG-RAN WG3 Meeting #111-e\tR3-211274",
		"Online, 25 January - 5 February 2021",
	}, [][2]string{
		{"Title:", "Remove the user message size limitation for DTLS over SCTP"},
		{"Response to:", "-"},
		{"Release:", "Rel-17"},
		{"Work Item:", "-"},
		{"Source:", "RAN WG3"},
		{"To:", "IETF TSVWG"},
		{"Cc:", "-"},
		{"Contact Person:", "Name: Nianshan Shi"},
		{"", "E-mail Address: nianshan.shi@example.com"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "-"},
	}, []string{
		"1. Overall Description:",
		"3GPP has specified DTLS over SCTP since the first version of the 5G specifications. RAN WG3 has found that the user message size limit of RFC 6083, roughly 16 kbytes, affects several 3GPP RAN application protocols; SCTP without DTLS has no such limit on user messages.",
		"Several RAN application messages can be larger than about 16 kbytes, and other 3GPP groups that use DTLS over SCTP may run into the same problem.",
		"RAN WG3 would prefer one general solution to changes in many different protocols. As RAN WG3 understands it, the limit comes from the lack of a secure way to fragment a user message over several DTLS records, so the DTLS over SCTP specification looks like the right place to lift it and to give DTLS over SCTP the same capabilities as unprotected SCTP.",
		"2. Actions:",
		"To IETF TSVWG.",
		"ACTION: RAN WG3 kindly asks IETF TSVWG to investigate whether the size limitation of DTLS over SCTP can be removed, and to send its feedback to RAN WG3 by 17th May 2021.",
		"3. Date of Next TSG-RAN WG3 Meetings:",
		"RAN3#112-e\t17th - 28th May 2021\tOnline",
	})

	// 69: an ISO/IEC JTC 1/SC 6 document of 1993 in a PDF, addressed to
	// the Internet Society, with a Title line and no reply date.
	sc6N8419 := pdfLines(letterLines(72, 770, 14, []string{
		"ISO/IEC JTC 1/SC 6",
		"Telecommunications and information exchange between systems",
		"",
		"Document:  ISO/IEC JTC 1/SC 6 N 8419",
		"Date:      1993-10-22",
		"Source:    SC 6 Plenary meeting, Seoul, October 1993",
		"Title:     ISO/IEC JTC1/SC6 Liaison Contribution to the Internet Society",
		"To:        The Internet Society",
		"",
		"SC 6 N 8420, \"Statement of Expected Benefits Regarding Liaison between the Internet Society",
		"and ISO/IEC JTC 1/SC 6\", is attached to this liaison contribution. SC 6 is sending that",
		"statement to JTC 1 in support of its initiative to set up a liaison with the Internet",
		"Society and with the standards-making body the Internet Society supports.",
		"",
		"SC 6 sees clear benefits, for the ISO community and for the Internet community alike, in",
		"identifying common goals and objectives and agreeing on them. The attached statement offers",
		"a first, draft list of such goals and of the benefits each side may expect.",
		"",
		"SC 6 would welcome the views of the Internet Society on this draft.",
		"",
		"Attachment: SC 6 N 8420",
		"",
		"Secretariat, ISO/IEC JTC 1/SC 6",
	}))

	// 70: a MEF letter in a .docx, to a working group and two areas (one
	// of them the area of that working group); the MEF number in the
	// letter and in the file name.
	mefIPSD := docx([]string{
		"MEF",
		"www.mef.net",
		"Liaison LS00285",
		"6 July 2018",
		"To: IETF NETMOD Working Group (Juergen Schoenwaelder and Tom Nadeau, Chairs)",
		"IETF Operations and Management Area (Warren Kumari and Ignas Bagdonas, Area Directors)",
		"IETF Routing Area (Alvaro Retana, Deborah Brungard and Martin Vigoureux, Area Directors)",
		"Subject: MEF Starting IP Service Definition Work",
		"Dear colleagues,",
		"Our Services Committee and Applications Committee are now both considering the definition of IP Services. This follows the IP Service Attributes specification, which we liaised to you earlier and which has now been published as MEF 61, and it complements our ongoing work on IP Services OAM and IP Services Activation Testing, also liaised to you.",
		"The new project aims to formalize Subscriber IP Services, starting with two use cases: Internet Access IP Services, and Private IP-VPN Services.",
		"Its scope therefore covers IP-VPN as well as Internet Access services. The project will constrain how the IP Service Attributes already defined are used to deliver each of these services. Its main purpose is a service definition that can drive the functions and models of the Lifecycle Service Orchestration (LSO) elements in the OSS/BSS domain, and that commercial offerings can be built on. It is meant to be the first of a series of new service definitions.",
		"We send this letter for your information and will keep you informed of our progress.",
		"Sincerely,",
		"Jason Wolfe",
		"on behalf of MEF",
	}, nil, nil)

	// --- batch 7 (79-86): the statement in an attachment; sources in the
	// lead's README rows; bodies paraphrased, invented values named in each
	// .json's notes.

	// 79: an ITU-T SG16 LS in a .docx for action to the IESG, a heading
	// row, the title wrapped over two paragraphs of its cell (ending in
	// "[to IETF IESG]"), a deadline row.
	sg16NETVC := docxCells([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2013-2016",
	}, [][][]string{
		{{"STUDY GROUP 16"}, {"SG16-LS123"}},
		{{"Original: English"}, {"Geneva, 5 May 2015"}},
		{{"Question(s):"}, {"6/16"}},
		{{"LIAISON STATEMENT"}},
		{{"Source:"}, {"ITU-T Study Group 16"}},
		{{"Title:"}, {"LS on call for comments on an IETF WG on Internet Video Codec", "(netvc) [to IETF IESG]"}},
		{{"For action to:"}, {"IETF IESG"}},
		{{"Approval:"}, {"Agreed by the SG16 management after consultation of Q6/16 experts (4 May 2015)"}},
		{{"Deadline:"}, {"30 May 2015"}},
		{{"Contact:"}, {"Gary Sullivan", "Rapporteur Q6/16", "E-mail: gary.sullivan@example.com"}},
	}, []string{
		"Experts of ITU-T Study Group 16 have taken note of the call for comments that the IETF IESG issued on 26 April 2015 on a proposed working group on an Internet Video Codec (NETVC).",
		"We would welcome a clarification of what the new working group is meant to achieve: we have not seen a specific need for the work identified. The charter's aim of being \u201ccompetitive\u201d with standards in wide use seems to us an undesirable goal for a standards activity, whose purpose should be to achieve interoperability and to focus the efforts of the industry rather than to compete with other well-developed technologies.",
		"The HEVC standard (Rec. ITU-T H.265 | ISO/IEC 23008-2), completed recently, is a major advance in compression capability, and it is not evident that the proposed effort would do better. Nor do we know of a technical shortcoming of existing designs for interactive web applications that a new codec would remedy. Licensing terms that allow broad use are desirable, but no different from the aim of any other standardization effort.",
		"Video coding is already worked on by several bodies (ITU-T Q6/16 VCEG, ISO/IEC JTC 1/SC 29/WG 11 MPEG, SMPTE, IEEE, VESA and others), and several projects have recently been completed or are under way. SG16 would therefore appreciate information on any needs that this existing work does not meet, and asks the IESG to consider these comments and to reply by the deadline above.",
	})

	// 80 (a statement the IETF sent): the answer of 79, a letter in a .docx
	// from the RAI Area Director on behalf of the IESG (an area the example
	// does not configure), mailed to the TSB with the liaison address in Cc.
	raiNETVC := docx([]string{
		"Internet Engineering Task Force (IETF)",
		"Real-time Applications and Infrastructure (RAI) Area",
		"20 May 2015",
		"To: ITU-T Study Group 16",
		"Cc: Michael Knappe, Roni Even; Ben Campbell, IETF RAI Area Director; IETF Chair",
		"From: Alissa Cooper, IETF RAI Area Director, on behalf of the IESG",
		"Subject: Response to LS on call for comments on an IETF WG on Internet Video Codec (netvc)",
		"Dear ITU-T SG 16,",
		"Thank you for your liaison statement (SG16-LS123) asking us to clarify the goals of the proposed Internet Video Codec (NETVC) working group.",
		"In the NETVC charter, \u201ccompetitive\u201d is used in the sense of \u201ccomparable\u201d and \u201ccommercially interesting\u201d: the working group is to produce a codec whose quality and efficiency are comparable to the state of the art at the time the work is finished, and whose IPR licensing terms make it attractive to deploy widely.",
		"We agree that many video codec efforts are under way, and NETVC would be one more of them. We do not think it will harm interoperability; as the licensing environment today often stands in the way of full interoperability, we expect it to help. What distinguishes NETVC is the combination of two goals: royalty-free licensing terms, which can be verified, unlike the subjective \u201clicensing terms that would enable broad use\u201d, and a quality on a par with modern codecs.",
		"Regards,",
		"Alissa Cooper",
		"IETF RAI Area Director, on behalf of the IESG",
	}, nil, nil)

	// 81: an ITU-T SG15 LS of 2011 in a PDF for action to two working
	// groups (one the example does not configure) and the IESG, with a
	// deadline row; mailed with a second PDF, the draft Recommendation it
	// reports, which has its own "Source:" and "Title:" lines. Neither the
	// title nor the mail subject says MPLS-TP.
	sg15LS332 := pdfLines(append(append(letterLines(72, 780, 14, []string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2009-2012",
		"",
		"STUDY GROUP 15",
		"Original: English",
	}), pdftext.Line{X: 400, Y: 724, S: "COM 15 - LS 332 - E"}), append(tableLines(72, 190, 680, 14, [][2]string{
		{"Question(s):", "10/15"},
		{"", "LIAISON STATEMENT"},
		{"Source:", "ITU-T Study Group 15"},
		{"Title:", "Consent of Recommendation ITU-T G.8113.2/Y.1372.2"},
		{"For action to:", "IETF MPLS WG, IETF PWE3 WG, IESG"},
		{"Approval:", "Agreed by the experts of Q10/15"},
		{"Deadline:", "28 October 2011"},
		{"Contact:", "Greg Jones, TSB   E-mail: greg.jones@example.org"},
	}), letterLines(72, 540, 14, []string{
		"The experts of Question 10/15 inform you that they have agreed to consent Recommendation",
		"ITU-T G.8113.2/Y.1372.2, \"Operations, Administration and Maintenance mechanism for MPLS-TP",
		"networks using the tools defined for MPLS\" (the text is attached).",
		"",
		"The Recommendation gives the user-plane OAM mechanisms of MPLS-TP networks that meet the",
		"MPLS-TP OAM requirements of IETF RFC 5860, together with the formats of the OAM packets and",
		"the syntax and semantics of their fields. It assumes that user packets and OAM packets are",
		"forwarded in common; with co-routed bidirectional point-to-point connections, the OAM return",
		"path stays in band.",
		"",
		"For the Last Call of the approval process to start, and end before the SG15 plenary meeting",
		"in December, the following Internet-Drafts have to be approved and in the RFC Editor's queue",
		"by 28 October 2011:",
		"  1. draft-ietf-mpls-tp-oam-framework (OAM framework for MPLS-based transport networks)",
		"  2. draft-ietf-mpls-tp-cc-cv-rdi (proactive CC, CV and RDI for MPLS-TP)",
		"  3. draft-ietf-mpls-tp-fault (MPLS fault management OAM)",
		"  4. draft-ietf-mpls-tp-on-demand-cv (MPLS on-demand CV and route tracing)",
		"draft-ietf-mpls-tp-li-lb (lock instruct and loopback) is only in the Bibliography and is not",
		"needed to start the Last Call.",
		"",
		"We ask the IETF to let us know by the deadline above whether these drafts can be ready in time.",
		"",
		"Attachment: draft Recommendation ITU-T G.8113.2/Y.1372.2 (for consent)",
	})...)...))
	g8113dot2 := pdfLines(letterLines(72, 780, 14, []string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2009-2012",
		"",
		"STUDY GROUP 15",
		"Question(s):  10/15",
		"Source:       Editor, G.8113.2/Y.1372.2",
		"Title:        Draft new Recommendation ITU-T G.8113.2/Y.1372.2 (for consent)",
		"",
		"Draft new Recommendation ITU-T G.8113.2/Y.1372.2",
		"Operations, administration and maintenance mechanism for MPLS-TP networks using the tools",
		"defined for MPLS",
		"",
		"Summary",
		"This Recommendation specifies OAM mechanisms for the data plane of MPLS-TP networks, based on",
		"the tools the IETF has defined for MPLS, to meet the requirements of IETF RFC 5860.",
		"",
		"1 Scope",
		"The Recommendation covers co-routed bidirectional point-to-point MPLS-TP connections; it",
		"describes the OAM functions and the formats of the OAM packets by reference to the IETF",
		"specifications listed in clause 2.",
		"",
		"2 References",
		"[IETF RFC 5860] Requirements for OAM in MPLS Transport Networks.",
		"[IETF draft-ietf-mpls-tp-oam-framework] OAM Framework for MPLS-based Transport Networks.",
		"[IETF draft-ietf-mpls-tp-cc-cv-rdi] Proactive CC, CV and RDI for MPLS-TP.",
		"[IETF draft-ietf-mpls-tp-fault] MPLS Fault Management OAM.",
		"[IETF draft-ietf-mpls-tp-on-demand-cv] MPLS On-demand CV and Route Tracing.",
		"",
		"Bibliography",
		"[b-IETF draft-ietf-mpls-tp-li-lb] MPLS-TP Lock Instruct and Loopback.",
	}))

	// 82: a 3GPP CT WG4 reply LS in a .docx, for action to the IESG with
	// the deadline only in the Actions section; mailed by the CT4 chair
	// from a personal address, the file name with spaces given only as an
	// RFC 2231 parameter in the Content-Disposition.
	ct4W1 := docx([]string{
		"3GPP TSG-CT WG4 Meeting #103e\tC4-211700",
		"E-Meeting, 24th February - 5th March 2021",
	}, [][2]string{
		{"Title:", "Reply LS on port allocation for the W1 interface"},
		{"Response to:", "LS on port allocation for the W1 interface from IESG"},
		{"Release:", "Rel-17"},
		{"Work Item:", "PortAl"},
		{"Source:", "CT4"},
		{"To:", "IESG"},
		{"Cc:", "-"},
		{"Contact Person:", "Name: Lionel Morand"},
		{"", "E-mail Address: lionel.morand@example.com"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"On behalf of 3GPP, CT WG4 thanks the IESG for the action that allowed IANA to assign an SCTP port to the W1 interface without delay, and for the guidance and clarifications given in its reply LS, which CT4 discussed at its meeting in January.",
		"CT4 would like to report on the progress of its study of alternatives to IANA port assignment, and to ask for further clarification of one point of the reply.",
		"The study, documented in TR 29.835 (latest version 0.4.0), has started to evaluate the solutions that 3GPP will recommend: configuration through OAM; DNS and mDNS based solutions; SCTP port multiplexing; a (D)TLS based solution using ALPN and/or SNI; solutions specific to 3GPP. The study should conclude in June 2021, and the guidelines that follow from it (TR 29.941) should be completed by September 2021. Comments from the IETF, especially from the TSV WG, that CT4 could take into account before the study concludes are still welcome.",
		"The reply LS points to the rules and policies of BCP 165 (RFC 6335 and RFC 7605) as applying to any future request. CT4 would like the IESG to clarify which of these rules it considers most relevant to 3GPP's interfaces, and how they would apply to interfaces used only inside an operator's network.",
		"2. Actions:",
		"To IESG.",
		"ACTION: CT4 kindly asks the IESG to provide the clarification requested above by 14th April 2021.",
		"3. Date of Next TSG-CT WG4 Meetings:",
		"CT4#104-e\tApril 2021\tE-Meeting",
		"CT4#105-e\tMay 2021\tE-Meeting",
	})

	// 83: a Broadband Forum liaison in a .docx with a header table (a
	// "Reference" row and a file name with the revision), mailed from the
	// BBF's liaison address; to a working group and its own area.
	bbfIPFIX := docx([]string{
		"Broadband Forum",
		"LIAISON",
	}, [][2]string{
		{"Reference", "LIAISE-420"},
		{"Title", "YANG data model for bulk data collection using IPFIX"},
		{"From", "Broadband Forum Technical Committee"},
		{"To", "IETF Operations and Management Area Directors; IETF OPSAWG chairs"},
		{"Cc", "IETF Chair; IETF Liaison Manager to the Broadband Forum"},
		{"For", "Information"},
		{"Contact", "Lincoln Lavoie, Broadband Forum Technical Committee Chair, lylavoie@example.edu"},
	}, []string{
		"The Broadband Forum intends to use the IPFIX protocol for bulk data collection in its Access Node specifications. As part of that work we reviewed the YANG data models currently available for IPFIX and Packet Sampling (PSAMP), specified in RFC 6728.",
		"We are aware of draft-boydseda-ipfix-psamp-bulk-data-yang-model, which defines a YANG model for PSAMP and for bulk data collection and export with IPFIX. It conforms to the Network Management Datastore Architecture (NMDA, RFC 8342) and replaces the model of RFC 6728.",
		"We would like the IETF to know that the Broadband Forum intends to reference this document normatively in its specifications, so it would help us if the document were progressed on the Standards Track.",
		"We expect to reference it normatively in future revisions of TR-301 (Architecture and Requirements for Fiber to the Distribution Point) and TR-352 (Multi-wavelength PON Inter-Channel-Termination Protocol (ICTP) Specification), among others.",
		"Best regards,",
		"Lincoln Lavoie",
		"Chair, Broadband Forum Technical Committee",
	})

	// 84: an ITU-T SG5 reply LS in a PDF laid out as a label/value table,
	// the title wrapped in the value column, four Contact rows; for
	// information to a working group the example does not configure; the
	// covering mail in Russian.
	sg5GREEN := pdfLines(append(append(letterLines(72, 780, 14, []string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2025-2028",
		"",
		"STUDY GROUP 5",
		"Original: English",
	}), pdftext.Line{X: 440, Y: 724, S: "SG5-LS7"}), append(tableLines(72, 190, 680, 14, [][2]string{
		{"Question(s):", "All/5"},
		{"", "LIAISON STATEMENT"},
		{"Source:", "ITU-T Study Group 5"},
		{"Title:", "LS/r on creation of IETF GREEN working group (reply to"},
		{"", "IETFGreen-LS1)"},
		{"For action to:", "-"},
		{"For information to:", "IETF GREEN WG"},
		{"Approval:", "Agreed at ITU-T SG5 meeting (Geneva, 11 July 2025)"},
		{"Deadline:", "N/A"},
		{"Contact:", "Dominique Wurges, Orange   E-mail: dominique.wurges@example.com"},
		{"Contact:", "Paolo Gemma, Huawei   E-mail: paolo.gemma@example.com"},
		{"Contact:", "Ying Shi, China Telecom   E-mail: shiying@example.cn"},
		{"Contact:", "Magnus Olsson, Huawei   E-mail: magnus.olsson@example.com"},
	}), letterLines(72, 470, 14, []string{
		"ITU-T Study Group 5 acknowledges receipt of liaison statement IETFGreen-LS1, which informs it",
		"of the creation of the IETF Getting Ready for Energy-Efficient Networking (GREEN) working group",
		"and of the group's work plan.",
		"",
		"The work plan shows several topics of common interest, and SG5 would be glad to collaborate",
		"with IETF GREEN on them. SG5 has developed, and keeps developing, a series of Recommendations,",
		"Technical Reports and Supplements on assessing and optimizing the energy efficiency of",
		"telecommunications/ICTs; they are listed at",
		"http://www.itu.int/ITU-T/recommendations/index_sg.aspx?sg=5.",
		"",
		"In particular, SG5 considers the ITU-T L.1300 series of Recommendations, on energy efficiency",
		"metrics and measurement methods, relevant to the work of IETF GREEN.",
		"",
		"SG5 looks forward to continued cooperation with IETF GREEN.",
	})...)...))

	// 85: the ITU-T SG2 Working Party 1/2 liaison of October 2000 to the
	// IETF/ISOC on ENUM (published as RFC 3026) in a PDF, mailed by the
	// ITU contact from a personal address in November 2000.
	wp12ENUM := pdfLines(letterLines(72, 780, 13, []string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 1997-2000",
		"",
		"Question(s):  1/2",
		"Source:       ITU-T Study Group 2, Working Party 1/2 (Berlin, 19-26 October 2000)",
		"Title:        Liaison to IETF/ISOC on ENUM",
		"To:           IETF/ISOC",
		"Contact:      Roy Blane, ITU   E-mail: roy.blane@example.org",
		"",
		"Working Party 1/2 of ITU-T met in Berlin, 19-26 October 2000. Several contributions to the",
		"meeting concerned RFC 2916, \"E.164 number and DNS\", from the IETF ENUM Working Group, and in",
		"particular how the E.164-based resources in the DNS are to be administered and maintained for",
		"ENUM. Several IETF participants attended to help with the discussion. This liaison conveys to",
		"the IETF/ISOC the understandings the WP1/2 collaborators reached.",
		"",
		"1. Considerations under Question 1/2 (Numbering)",
		"",
		"Here \"administration\" means providing and updating the E.164 numeric values held in the",
		"zones of a domain name under \"e164.arpa\". Most ENUM service and administrative decisions are",
		"national matters for ITU Member States, as most E.164 resources are used nationally. These",
		"understandings cover only the provision of E.164 information for DNS administration, not",
		"policy or operations.",
		"",
		"For this liaison, a name such as 1.5.1.5.0.2.0.4.1.3.3.e164.arpa has a domain zone",
		"(e164.arpa), a country code zone (here 3.3, one to three digits) and a national zone.",
		"",
		"- The administration of the domain zone was outside the scope of the meeting and of WP1/2.",
		"- For all country code zone resources (country codes and identification codes), the ITU",
		"  provides the assignment information to DNS administrators and makes sure each Member State",
		"  has authorized the inclusion of its country code. Spare codes and test codes normally get no",
		"  entry; the ITU will give DNS administrators the list of spare codes for clarity, and the",
		"  holder of a test code provides any assignment information for it.",
		"- The national zone of a geographic country code is a national matter, administered by the",
		"  Member State(s) to which the code is assigned.",
		"",
		"WP1/2 thanks the IETF participants for their help and looks forward to further cooperation",
		"on ENUM.",
		"",
		"Roy Blane",
		"for ITU-T Working Party 1/2",
	}))

	// 86: an ETSI TC EE reply LS in a PDF laid out as a label/value table,
	// forwarded by a working group chair from Gmail with Spanish labels;
	// five reply addresses; the body asks a question while the Actions
	// section says none.
	eeGREEN := pdfLines(append(append(letterLines(72, 780, 14, []string{
		"ETSI TC EE (Environmental Engineering)",
		"LIAISON STATEMENT",
	}), tableLines(72, 200, 740, 14, [][2]string{
		{"Title:", "Liaison out to IETF GREEN working group"},
		{"Response to:", "LS on the creation of the Getting Ready for Energy-Efficient"},
		{"", "Networking Working Group in the IETF"},
		{"Source:", "ETSI TC EE"},
		{"To:", "IETF GREEN WG (Diego Lopez, Robert Wilton, chairs)"},
		{"Cc:", "IETF OPS Area Directors"},
		{"Contact person:", "Laure Pourcin, TC EE Officer, laure.pourcin@example.org"},
		{"Send any reply to:", "Beniamino Gorini (TC EE Chair), beniamino.gorini@example.com"},
		{"", "Daniel Dianat (TC EE Vice-Chair), daniel.dianat@example.com"},
		{"", "Paolo Gemma (TC EEPS Chair), paolo.gemma@example.com"},
		{"", "Mauro Boldi (TC EEPS Vice-Chair), mauro.boldi@example.it"},
		{"", "Laure Pourcin (TC EE Officer), laure.pourcin@example.org"},
		{"Attachments:", "None"},
	})...), letterLines(72, 540, 14, []string{
		"1. Overall description:",
		"ETSI EE acknowledges receipt of IETF liaison 2003 and of the information on the new IETF",
		"working group Getting Ready for Energy-Efficient Networking (GREEN) and its work plan.",
		"",
		"About the name of the working group, ETSI EE understands \"Networking\" to mean \"network\". If",
		"that is right, ETSI EE would appreciate a clarification of the kinds of networks IETF GREEN",
		"intends to address.",
		"",
		"The work plan shows several topics of common interest, and ETSI EE would be happy to exchange",
		"information with IETF GREEN and possibly to collaborate on them. ETSI EE has developed",
		"standards on energy efficiency metrics and measurement methods for ICT equipment and",
		"networks, for instance ETSI ES 203 228 on the energy efficiency of mobile networks.",
		"",
		"2. Actions:",
		"None.",
	})...))

	// 95 (batch 9): an IEEE 802.1 letter of July 2014 in a PDF announcing
	// the DetNet side meeting at IETF 90, forwarded by the IETF liaison
	// manager to IEEE 802.1 with the liaison address in To.
	ieeeDetNet := pdfLines(letterLines(72, 780, 14, []string{
		"IEEE 802.1 Working Group",
		"IEEE 802 LAN/MAN Standards Committee",
		"",
		"14 July 2014",
		"",
		"To:       Jari Arkko, IETF Chair",
		"Cc:       Eric Gray, IETF liaison manager to IEEE 802.1",
		"Subject:  Liaison from IEEE 802.1 - Deterministic Networking",
		"",
		"Dear Jari,",
		"",
		"A side meeting (a \"Bar BOF\", see RFC 6771) on Deterministic Networking will take place during",
		"IETF 90 in Toronto, on Wednesday 23 July at 8:00 PM in the Quebec room. We would welcome",
		"the cooperation and participation of IETF participants.",
		"",
		"In the last few years the Audio Video Bridging Task Group, now the Time-Sensitive Networking",
		"(TSN) Task Group, has published standards for end stations to reserve Layer 2 resources for",
		"critical flows, for data plane mechanisms that give such flows zero congestion loss and",
		"hence a bounded end-to-end latency, and for distributing IEEE 1588 time over bridged, routed",
		"or mixed networks. Deployments for audio and video have drawn interest from industrial,",
		"automotive and other real-time applications, and the TSN Task Group has started several",
		"projects to extend these capabilities.",
		"",
		"Those users need more than a Layer 2 network can offer: deterministic behaviour has to be a",
		"quality-of-service feature of ordinary networks made of both bridges and routers, with",
		"paths set up by protocols rather than by hand. We believe this needs work in the IETF as",
		"well as in IEEE 802.1, and we look forward to discussing it with you in Toronto.",
		"",
		"Sincerely,",
		"",
		"Glenn Parsons",
		"Chair, IEEE 802.1 Working Group",
	}))

	// 96 (batch 9): a statement the IETF sent: the CCAMP chairs' response to
	// the ITU-T SG15 OTNT standardization work plan in a .docx, mailed to
	// the TSB with the liaison address in Cc.
	ccampOTNT := docx([]string{
		"LIAISON STATEMENT",
		"From: IETF CCAMP Working Group",
		"To: ITU-T Study Group 15 (Greg Jones, TSB)",
		"Cc: Hiroshi Ohta, Yoichi Maeda, Stephen Trowbridge (ITU-T SG15); Ross Callon, David Ward (IETF Routing Area Directors); Scott Bradner (IETF liaison to ITU-T); CCAMP mailing list",
		"Title: Response to your ITU-T SG15 OTNT Standardization Work Plan",
		"Purpose: In response",
		"Response contact: Adrian Farrel <adrian@example.com>, Deborah Brungard <dbrungard@example.com>",
		"Technical contact: Adrian Farrel <adrian@example.com>, Deborah Brungard <dbrungard@example.com>",
		"Date: 6 September 2008",
		"",
		"The IETF CCAMP working group thanks ITU-T SG15 for its liaison of 29 February 2008 sharing the \"Optical Transport Networks & Technologies Standardization Work Plan\".",
		"We have no particular comments on the plan itself. We would, however, like to point you to the work now under way in CCAMP on extending the GMPLS control plane to Wavelength Switched Optical Networks (WSON), covered by three working group drafts: a framework for GMPLS and PCE control of WSON, generalized labels for G.694 lambda-switching capable LSRs, and an information model for routing and wavelength assignment in WSON.",
		"CCAMP has split this effort in two: the routing and wavelength assignment (RWA) problem, and networking that takes optical impairments into account. Only the first is being worked on at present; the second is deferred. Should CCAMP later take up optical impairments, it intends to rely on the ITU-T for their definition rather than define them itself.",
		"Finally, our work has shown that modelling asymmetric switches such as ROADMs may be a subject the ITU-T would wish to study.",
		"Best regards,",
		"Adrian Farrel and Deborah Brungard",
		"IETF CCAMP Working Group Co-Chairs",
	}, nil, nil)

	return []message{
		{
			file: "63-itu-sg13-docx-y-sfo-new-work-item.eml",
			crlf: true,
			headers: `Return-Path: <tsbsg13@itu.int>
Received: from mx2.itu.int (mx2.itu.int [156.106.192.11])
	by mail.ietf.example (Postfix) with ESMTPS id 4JdTf93ZbWz3
	for <statements@ietf.example>; Tue, 18 Jan 2022 16:05:12 +0100 (CET)
From: TSB SG13 <tsbsg13@itu.int>
To: "statements@ietf.example" <statements@ietf.example>
Cc: iesg@ietf.example, Scott Mansfield <scott.mansfield@example.com>
Subject: Liaison statement from ITU-T SG13 [SG13-LS249]
Date: Tue, 18 Jan 2022 15:05:06 +0000
Message-ID: <7F3A9C21D4E84B0B9E1C@EXCH03.itu.int>
Accept-Language: en-US
Content-Language: en-US
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease find attached a liaison statement from ITU-T Study Group 13.\n\nBest regards,\nTSB Study Group 13 secretariat\nInternational Telecommunication Union\n"),
				{name: "sp16-sg13-oLS-00249.docx", ctype: docxMIME + "; name=\"sp16-sg13-oLS-00249.docx\"", encoding: "base64", data: sg13SFO},
			},
		},
		{
			file: "64-itu-sg11-pdf-french-cover-q-sfcp.eml",
			headers: `Return-Path: <tsbsg11@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 4ft2Hq0sWnz5
	for <statements@ietf.example>; Mon, 19 Jan 2026 11:42:37 +0100 (CET)
From: TSB SG11 <tsbsg11@itu.int>
To: statements@ietf.example
Cc: spring-chairs@ietf.example
Subject: =?utf-8?q?D=C3=A9claration_de_liaison_de_la_Commission_d=27=C3=A9tudes_11_?=
 =?utf-8?q?de_l=27UIT-T_=5BSG11-LS96=5D?=
Date: Mon, 19 Jan 2026 10:42:31 +0000
Message-ID: <C41E0B7A29D64F1E8B33@EXCH01.itu.int>
Content-Language: fr-CH
`,
			parts: []part{
				{ctype: "text/plain; charset=utf-8", encoding: "quoted-printable", data: []byte(
					"Madame, Monsieur,\n\n" +
						"Veuillez trouver ci-joint une déclaration de liaison de la Commission d'études 11\n" +
						"de l'UIT-T (SG11-LS96), adoptée à sa réunion de Genève (17-26 novembre 2025).\n\n" +
						"Avec nos meilleures salutations,\n\n" +
						"Secrétariat de la Commission d'études 11\n" +
						"Bureau de la normalisation des télécommunications (TSB)\n" +
						"Union internationale des télécommunications\n")},
				{name: "SG11-LS96.pdf", ctype: "application/pdf", encoding: "base64", data: sg11SFCP},
			},
		},
		{
			file: "65-bbf-pdf-letter-onu-management-at-scale.eml",
			headers: `Return-Path: <lylavoie@example.edu>
Received: from mx.example.edu (mx.example.edu [198.51.100.61])
	by mail.ietf.example (Postfix) with ESMTPS id 4bHm2r6KcQz9
	for <statements@ietf.example>; Wed, 11 Jun 2025 20:17:48 +0200 (CEST)
From: Lincoln Lavoie <lylavoie@example.edu>
To: statements@ietf.example
Cc: netmod-chairs@ietf.example, liaisons@broadband-forum.org
Subject: Addressing ONU Management at Scale
Date: Wed, 11 Jun 2025 14:17:42 -0400
Message-ID: <CAO8kq1fZs0Wq7nJm3Yp2xLh5TgR9dVb@mail.example.edu>
`,
			parts: []part{
				text("Dear NETMOD chairs,\n\nPlease find attached a liaison letter on managing ONUs at scale.\n\nBest regards,\nLincoln\n"),
				{name: "ONU-Management-at-Scale-liaison-to-IETF-NETMOD.pdf", ctype: "application/pdf", encoding: "base64", data: bbfONU},
			},
		},
		{
			file: "66-ieee8021-pdf-response-to-3gpp-inclusive-language.eml",
			headers: `Return-Path: <glenn.parsons@example.com>
Received: from mail-ca.example.com (mail-ca.example.com [192.0.2.201])
	by mail.ietf.example (Postfix) with ESMTPS id 4DZ1xW2nTqz8
	for <statements@ietf.example>; Mon, 08 Feb 2021 18:03:55 +0100 (CET)
From: Glenn Parsons <glenn.parsons@example.com>
To: 3GPPLiaison@etsi.org
Cc: statements@ietf.example, The IETF Chair <chair@ietf.example>, Eric Gray <eric.gray@example.com>,
 John Messenger <jmessenger@example.com>, Paul Nikolich <p.nikolich@example.org>
Subject: Liaison response on inclusive language
Date: Mon, 8 Feb 2021 17:03:49 +0000
Message-ID: <YT1PR01MB3546E2A9C0B7D4F1@YT1PR01MB3546.CANPRD01.PROD.OUTLOOK.example>
`,
			parts: []part{
				text("Hello,\n\nPlease find attached a liaison response to 3GPP TSG SA, copied to the IETF.\n\nRegards,\nGlenn\n"),
				{name: "liaison-response-3GPP-SP-201144-inclusive-language-0221.pdf", ctype: "application/pdf", encoding: "base64", data: ieeeInclusive},
			},
		},
		{
			file: "67-outgoing-sec-pdf-letter-etsi-cyber-mctls.eml",
			headers: `Return-Path: <kathleen.moriarty@example.com>
Received: from mail-out.example.com (mail-out.example.com [192.0.2.77])
	by mail.ietf.example (Postfix) with ESMTPS id 3xCkQ51pG7z4
	for <statements@ietf.example>; Wed, 19 Jul 2017 15:36:20 +0200 (CEST)
From: Kathleen Moriarty <kathleen.moriarty@example.com>
To: Alex Leadbeater <alex.leadbeater@example.com>, Charles Brookson <charles@example.co.uk>,
 Jean-Pierre Quemard <jp.quemard@example.fr>, Maik Seewald <maseewal@example.com>,
 Sonia Compans <sonia.compans@example.org>
Cc: statements@ietf.example, The IETF Chair <chair@ietf.example>, Eric Rescorla <ekr@example.com>
Subject: Liaison to ETSI TC CYBER: IETF Security Area Director Concerns with McTLS
Date: Wed, 19 Jul 2017 09:36:14 -0400
Message-ID: <CAHbuEH7Lr2Kc0vWm9Q4xT1nZp8sYd3G@mail.example.com>
`,
			parts: []part{
				text("Dear TC CYBER colleagues,\n\nPlease find attached a liaison statement from the IETF Security Area Directors\nabout mcTLS.\n\nBest regards,\nKathleen\n"),
				{name: "IETF-SEC-ADs-liaison-to-ETSI-TC-CYBER-mcTLS.pdf", ctype: "application/pdf", encoding: "base64", data: secMcTLS},
			},
		},
		{
			file: "68-fwd-thunderbird-3gpp-ran3-docx-dtls-sctp.eml",
			headers: `Return-Path: <gorry@example.ac.uk>
Received: from mx.example.ac.uk (mx.example.ac.uk [192.0.2.140])
	by mail.ietf.example (Postfix) with ESMTPS id 4DvQ6m0yXkz2
	for <statements@ietf.example>; Mon, 08 Mar 2021 11:14:52 +0100 (CET)
From: Gorry Fairhurst <gorry@example.ac.uk>
To: statements@ietf.example
Cc: tsvwg-chairs@ietf.example
Subject: Fwd: LS from 3GPP RAN WG3: R3-211274
Date: Mon, 8 Mar 2021 10:14:46 +0000
Message-ID: <5c1e9b7a-2f4d-4e31-9a8c-0d6b3f2e7a15@example.ac.uk>
User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:78.0) Gecko/20100101 Thunderbird/78.8.0
`,
			parts: []part{
				text("Hello,\n\nThis LS from 3GPP RAN3 reached the chairs directly, and I cannot see it on the\nliaison tracker. Could you please record it as an incoming liaison to our WG?\n\nThanks,\nGorry\n(WG co-chair)\n\n\n-------- Forwarded Message --------\nSubject: \tLS from 3GPP RAN WG3: R3-211274\nDate: \tFri, 5 Mar 2021 09:41:17 +0000\nFrom: \t3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>\nTo: \ttsvwg-chairs@ietf.example\n\n\n\nDear IETF colleagues,\n\nplease find attached an LS from 3GPP TSG RAN WG3 (R3-211274).\n\nKind regards,\n3GPP Liaisons Coordinator\n"),
				{name: "R3-211274.docx", ctype: docxMIME + "; name=\"R3-211274.docx\"", encoding: "base64", data: ran3DTLS},
			},
		},
		{
			file: "69-iso-sc6-1993-pdf-liaison-contribution-isoc.eml",
			headers: `Return-Path: <sc6-secretariat@example.org>
Received: from relay.example.org (relay.example.org [192.0.2.93])
	by mail.ietf.example (8.6.4/8.6.4) with SMTP id KAA01742
	for <statements@ietf.example>; Fri, 29 Oct 1993 10:22:41 -0400
From: "ISO/IEC JTC 1/SC 6 Secretariat" <sc6-secretariat@example.org>
To: statements@ietf.example
Subject: SC 6 N 8419 - Liaison Contribution to the Internet Society
Date: Fri, 29 Oct 1993 15:22:10 +0100
Message-ID: <9310291422.AA03117@relay.example.org>
`,
			parts: []part{
				text("Dear Sir or Madam,\n\nThe SC 6 Plenary meeting in Seoul approved the attached liaison contribution\n(SC 6 N 8419). SC 6 N 8420, to which it refers, will follow separately.\n\nSC 6 Secretariat\n"),
				{name: "6N8419.pdf", ctype: "application/pdf", encoding: "base64", data: sc6N8419},
			},
		},
		{
			file: "70-mef-docx-letter-ip-service-definition.eml",
			headers: `Return-Path: <jason.wolfe@example.com>
Received: from mail.example.com (mail.example.com [203.0.113.58])
	by mail.ietf.example (Postfix) with ESMTPS id 41Mn7c4JxRz6
	for <statements@ietf.example>; Fri, 06 Jul 2018 23:48:09 +0200 (CEST)
From: Jason Wolfe <jason.wolfe@example.com>
To: statements@ietf.example
Cc: netmod-chairs@ietf.example
Subject: Liaison to IETF on Start of IP Service Definition Work
Date: Fri, 6 Jul 2018 14:48:03 -0700
Message-ID: <BN6PR11MB1283A4C5E7D29F06@BN6PR11MB1283.namprd11.prod.outlook.example>
`,
			parts: []part{
				text("Hello,\n\nAttached is a liaison letter for the NETMOD working group and the Operations\nand Management and Routing Area Directors.\n\nRegards,\nJason\n"),
				{name: "LS00285_001_Liaison to IETF on Start of IP Service Definition Work_Wolfe.docx", ctype: docxMIME, encoding: "base64", data: mefIPSD},
			},
		},
		{
			file: "47-3gpp-sa3-zip-docx-large-identity.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4fB2kq3zLmz6
	for <statements@ietf.example>; Thu, 28 May 2026 17:31:12 +0200 (CEST)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Cc: emu-chairs@ietf.example
Subject: LS from 3GPP SA WG3: S3-262105
Date: Thu, 28 May 2026 15:31:05 +0000
Message-ID: <S3-262105.1780068665@etsi.org>
`,
			parts: []part{
				text("Dear colleagues,\n\nplease find attached an LS from 3GPP TSG SA WG3 (S3-262105).\n\nKind regards,\n3GPP Liaisons Coordinator\nMCC / ETSI, 650 route des Lucioles, 06921 Sophia Antipolis, France\n"),
				{name: "S3-262105.zip", ctype: "application/x-zip-compressed; name=\"S3-262105.zip\"", encoding: "base64", data: sa3Zip},
			},
		},
		{
			file: "44-ieee8021-docx-letter-ops-area-im-dm.eml",
			headers: `Return-Path: <glenn.parsons@example.com>
Received: from mail-ca.example.com (mail-ca.example.com [192.0.2.201])
	by mail.ietf.example (Postfix) with ESMTPS id 3xwB5c2QkNz1
	for <statements@ietf.example>; Mon, 18 Sep 2017 22:14:40 +0200 (CEST)
From: Glenn Parsons <glenn.parsons@example.com>
To: statements@ietf.example
Cc: ops-ads@ietf.example
Subject: Liaison from IEEE 802.1 to the IETF OPS Area
Date: Mon, 18 Sep 2017 20:14:33 +0000
Message-ID: <YTOPR01MB0412C1D2E3F4A5B6@YTOPR01MB0412.CANPRD01.PROD.OUTLOOK.example>
`,
			parts: []part{
				text("Hello,\n\nPlease find attached a liaison response from IEEE 802.1 to ITU-T SG15, copied to the IETF.\n\nRegards,\nGlenn\n"),
				{name: "liaison-response-ITU-T-SG15-LS43-0717-v01.docx", ctype: docxMIME, encoding: "base64", data: ieeeIMDM},
			},
		},
		{
			file: "03-ieee8021-pdf-letter-detnet-sg13-response.eml",
			headers: `Return-Path: <glenn.parsons@example.com>
Received: from mail-ca.example.com (mail-ca.example.com [192.0.2.201])
	by mail.ietf.example (Postfix) with ESMTPS id 4HyW3d1kQbz2
	for <statements@ietf.example>; Mon, 22 Nov 2021 21:40:17 +0100 (CET)
From: Glenn Parsons <glenn.parsons@example.com>
To: statements@ietf.example
Cc: detnet-chairs@ietf.example, John Messenger <jmessenger@example.com>
Subject: Liaison from IEEE 802.1
Date: Mon, 22 Nov 2021 20:40:11 +0000
Message-ID: <YT3PR01MB6025B1C2D3E4F5A6@YT3PR01MB6025.CANPRD01.PROD.OUTLOOK.example>
`,
			parts: []part{
				text("Hello,\n\nPlease find attached a liaison from IEEE 802.1.\n\nRegards,\nGlenn\n"),
				{name: "liaison-response-itu-t-SG13-LS217-determcommunics-1121-v01.pdf", ctype: "application/pdf", encoding: "base64", data: ieeeLetter},
			},
		},
		{
			file: "07-3gpp-sa-docx-reply-ngp-ietf-in-cc.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 3wpK6s1Hl9z5
	for <statements@ietf.example>; Thu, 15 Jun 2017 16:18:40 +0200 (CEST)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: ngp-support@example.org
Cc: statements@ietf.example
Subject: 3GPP TSG SA LS SP-170579
Date: Thu, 15 Jun 2017 14:18:33 +0000
Message-ID: <SP-170579.1497536313@etsi.org>
`,
			parts: []part{
				text("Dear colleagues,\n\nplease see attached.\n\nKind regards,\n3GPP Liaisons Coordinator\nMCC / ETSI, 650 route des Lucioles, 06921 Sophia Antipolis, France\n"),
				{name: "SP-170579.docx", ctype: docxMIME, encoding: "base64", data: saNGP},
			},
		},
		{
			file: "10-itu-fg-imt2020-docx-heading-row.eml",
			crlf: true,
			headers: `Return-Path: <tsbfgimt2020@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 3v78Jm5zQcz1
	for <statements@ietf.example>; Tue, 24 Jan 2017 12:05:51 +0100 (CET)
From: TSB FG IMT-2020 <tsbfgimt2020@itu.int>
To: "statements@ietf.example" <statements@ietf.example>
Subject: Liaison statement from ITU-T FG IMT-2020 [FG IMT-2020-OLS-0004]
Date: Tue, 24 Jan 2017 11:05:44 +0000
Message-ID: <E2C1B0A9F8D74C6B@EXCH02.itu.int>
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease see the attached liaison statement from the ITU-T Focus Group on IMT-2020.\n\nBest regards,\nTSB\n"),
				{name: "sp16-fgimt-2020-oLS-0004.docx", ctype: docxMIME, encoding: "base64", data: fgIMT},
			},
		},
		{
			file: "11-itu-sg17-pdf-ai-security-iab-iesg.eml",
			headers: `Return-Path: <tsbsg17@itu.int>
Received: from mx2.itu.int (mx2.itu.int [156.106.192.11])
	by mail.ietf.example (Postfix) with ESMTPS id 4f2Tq71XpVz6
	for <statements@ietf.example>; Fri, 30 Jan 2026 14:52:29 +0100 (CET)
From: TSB SG17 <tsbsg17@itu.int>
To: statements@ietf.example
Cc: iesg@ietf.example, iab@iab.example
Subject: Liaison statement from ITU-T SG17
Date: Fri, 30 Jan 2026 13:52:22 +0000
Message-ID: <9D2E7C4B1A0F4E38B6D5@EXCH01.itu.int>
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease find attached a liaison statement from ITU-T Study Group 17.\n\nBest regards,\nTSB Study Group 17 secretariat\n"),
				{name: "SG17-LS-CG-AISEC-STRAT.pdf", ctype: "application/pdf", encoding: "base64", data: sg17},
			},
		},
		{
			file: "19-itu-sg15-docx-dwdm-reply-ls17.eml",
			headers: `Return-Path: <tsbsg15@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 42jMqT4WvSz3
	for <statements@ietf.example>; Mon,  5 Nov 2018 10:31:02 +0100 (CET)
From: TSB SG15 <tsbsg15@itu.int>
To: statements@ietf.example
Cc: ccamp-chairs@ietf.example
Subject: Liaison statement from ITU-T SG15 [SG15-LS126]
Date: Mon, 5 Nov 2018 09:30:55 +0000
Message-ID: <0C4E9B2A7D1F4A63B8E5@EXCH03.itu.int>
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease see the attached liaison statement from ITU-T Study Group 15.\n\nTSB Study Group 15 secretariat\n"),
				{name: "SG15-LS126.docx", ctype: docxMIME, encoding: "base64", data: sg15DWDM},
			},
		},
		{
			file: "23-3gpp-sa-docx-response-teas-slicing.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4dPq2y0NbTz8
	for <statements@ietf.example>; Fri, 19 Dec 2025 11:47:09 +0100 (CET)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Cc: teas@ietf.example, teas-chairs@ietf.example
Subject: 3GPP TSG SA LS SP-251633
Date: Fri, 19 Dec 2025 10:47:02 +0000
Message-ID: <SP-251633.1766141222@etsi.org>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nplease see attached.\n\nKind regards,\n3GPP Liaisons Coordinator\n"),
				{name: "SP-251633.docx", ctype: docxMIME, encoding: "base64", data: saTEAS},
			},
		},
		{
			file: "79-itu-sg16-docx-netvc-call-for-comments-iesg.eml",
			headers: `Return-Path: <tsbsg16@itu.int>
Received: from mx2.itu.int (mx2.itu.int [156.106.192.11])
	by mail.ietf.example (Postfix) with ESMTPS id 3l0MhZ4QrGz7
	for <statements@ietf.example>; Tue,  5 May 2015 16:21:44 +0200 (CEST)
From: TSB SG16 <tsbsg16@itu.int>
To: iesg@ietf.example
Cc: statements@ietf.example, The IETF Chair <chair@ietf.example>, Roni Even <roni.even@example.com>
Subject: Liaison statement from ITU-T Study Group 16 [SG16-LS123]
Date: Tue, 5 May 2015 14:21:37 +0000
Message-ID: <8A1F3C2E5B7D4096A3E1@EXCH02.itu.int>
Accept-Language: en-US
Content-Language: en-US
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease find attached a liaison statement from ITU-T Study Group 16, for action\nby the IETF IESG.\n\nBest regards,\nTSB Study Group 16 secretariat\nInternational Telecommunication Union\n"),
				{name: "sp16-sg16-oLS-00123.docx", ctype: docxMIME + "; name=\"sp16-sg16-oLS-00123.docx\"", encoding: "base64", data: sg16NETVC},
			},
		},
		{
			file: "80-outgoing-rai-docx-response-sg16-netvc.eml",
			headers: `Return-Path: <alissa.cooper@example.com>
Received: from mail.example.com (mail.example.com [192.0.2.55])
	by mail.ietf.example (Postfix) with ESMTPS id 3lFx2v0RzJz4
	for <statements@ietf.example>; Wed, 20 May 2015 23:40:19 +0200 (CEST)
From: Alissa Cooper <alissa.cooper@example.com>
To: tsbsg16@itu.int
Cc: statements@ietf.example, The IESG <iesg@ietf.example>, Ben Campbell <ben.campbell@example.com>,
 Michael Knappe <michael.knappe@example.com>, Roni Even <roni.even@example.com>
Subject: Response to LS on call for comments on an IETF WG on Internet Video Codec (netvc)
Date: Wed, 20 May 2015 14:40:12 -0700
Message-ID: <5F2B8E21-7C4A-4D9B-8E0F-3A6C1D2E9B47@example.com>
X-Mailer: Apple Mail (2.2098)
`,
			parts: []part{
				text("Dear colleagues,\n\nPlease find attached the response of the IESG to the SG16 liaison statement\nof 5 May 2015 on the proposed NETVC working group.\n\nBest regards,\nAlissa Cooper\n"),
				{name: "IESG-response-SG16-netvc.docx", ctype: docxMIME, encoding: "base64", data: raiNETVC},
			},
		},
		{
			file: "81-itu-sg15-two-pdfs-ls332-g8113-2-consent.eml",
			crlf: true,
			headers: `Return-Path: <tsbsg15@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTP id 7C1E321F8A4B
	for <statements@ietf.example>; Thu,  6 Oct 2011 09:27:44 -0700 (PDT)
From: TSB SG15 <tsbsg15@itu.int>
To: "statements@ietf.example" <statements@ietf.example>
Cc: mpls-chairs@ietf.example, pwe3-chairs@ietf.example, The IESG <iesg@ietf.example>
Subject: LS332 - Consent of Recommendation ITU-T G.8113.2/Y.1372.2
Date: Thu, 6 Oct 2011 18:27:38 +0200
Message-ID: <4D1F6A0B93C2E84A9E5B@EXCH02.itu.int>
Accept-Language: en-US
Content-Language: en-US
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease find attached liaison statement LS332 from ITU-T Study Group 15 and its\nattachment, the text of draft Recommendation ITU-T G.8113.2/Y.1372.2.\n\nBest regards,\nTSB Study Group 15 secretariat\nInternational Telecommunication Union\n"),
				{name: "T09-SG15-LS332.pdf", ctype: "application/pdf; name=\"T09-SG15-LS332.pdf\"", encoding: "base64", data: sg15LS332},
				{name: "T09-SG15-LS332-Att1.pdf", ctype: "application/pdf; name=\"T09-SG15-LS332-Att1.pdf\"", encoding: "base64", data: g8113dot2},
			},
		},
		{
			file: "82-3gpp-ct4-docx-rfc2231-name-w1-port-reply.eml",
			headers: `Return-Path: <lionel.morand@example.com>
Received: from mail.example.com (mail.example.com [192.0.2.88])
	by mail.ietf.example (Postfix) with ESMTPS id 4F1Ksq3Vx1z6
	for <statements@ietf.example>; Thu, 18 Mar 2021 16:04:51 +0100 (CET)
From: Lionel Morand <lionel.morand@example.com>
To: "statements@ietf.example" <statements@ietf.example>
Cc: The IESG <iesg@ietf.example>, The IETF Chair <chair@ietf.example>,
 "3GPPLiaison@etsi.org" <3GPPLiaison@etsi.org>
Subject: 3GPP CT4 LS to IESG (C4-211700)
Date: Thu, 18 Mar 2021 15:04:40 +0000
Message-ID: <AM0PR07MB4913D2A6B1C84F0E9A3D@AM0PR07MB4913.eurprd07.prod.outlook.example>
Accept-Language: fr-FR, en-US
Content-Language: en-US
`,
			parts: []part{
				text("Dear IESG members,\n\nPlease find attached the reply LS that 3GPP CT WG4 approved at its last\nmeeting, for your action.\n\nBest regards,\nLionel Morand\n3GPP CT4 Chairman\n"),
				{
					name:     "C4-211700_Reply LS-IESG_port allocation for the W1 interface.docx",
					ctype:    docxMIME,
					disp:     "attachment;\n\tfilename*=utf-8''C4-211700_Reply%20LS-IESG_port%20allocation%20for%20the%20W1%20interface.docx",
					encoding: "base64",
					data:     ct4W1,
				},
			},
		},
		{
			file: "83-bbf-docx-table-ipfix-bulk-data-yang.eml",
			headers: `Return-Path: <liaisons@broadband-forum.org>
Received: from mail.broadband-forum.org (mail.broadband-forum.org [198.51.100.24])
	by mail.ietf.example (Postfix) with ESMTPS id 4CLQ3h2dGxz6
	for <statements@ietf.example>; Tue, 27 Oct 2020 20:32:41 +0100 (CET)
From: Broadband Forum Liaisons <liaisons@broadband-forum.org>
To: statements@ietf.example
Cc: ops-ads@ietf.example, opsawg-chairs@ietf.example, The IETF Chair <chair@ietf.example>,
 Lincoln Lavoie <lylavoie@example.edu>, David Sinicrope <david.sinicrope@example.com>
Subject: Broadband Forum liaison LIAISE-420
Date: Tue, 27 Oct 2020 15:32:36 -0400
Message-ID: <CAB7r9kQ2xVf3mJ0pLs8ZtN1wYdE5hGc@mail.broadband-forum.org>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nPlease find attached a liaison from the Broadband Forum, for your information.\n\nBest regards,\nBroadband Forum Liaisons\n"),
				{name: "LIAISE-420-02.docx", ctype: docxMIME, encoding: "base64", data: bbfIPFIX},
			},
		},
		{
			file: "84-itu-sg5-pdf-russian-cover-green-reply.eml",
			headers: `Return-Path: <tsbsg5@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 4bdK9w2FhLz1
	for <statements@ietf.example>; Fri, 11 Jul 2025 11:48:26 +0200 (CEST)
From: TSB SG5 <tsbsg5@itu.int>
To: statements@ietf.example
Cc: green-chairs@ietf.example
Subject: =?utf-8?b?0JfQsNGP0LLQu9C10L3QuNC1INC+INGB0LLRj9C30Lgg0JjQmiA1INCc0KHQrS1U?=
 =?utf-8?q?_=5BSG5-LS7=5D?=
Date: Fri, 11 Jul 2025 09:48:19 +0000
Message-ID: <2E6B0D9F41A3475C8B1E@EXCH03.itu.int>
Content-Language: ru-RU
`,
			parts: []part{
				{ctype: "text/plain; charset=utf-8", encoding: "quoted-printable", data: []byte(
					"Уважаемые коллеги!\n\n" +
						"Направляем вам заявление о взаимодействии 5-й Исследовательской комиссии\n" +
						"МСЭ-T (SG5-LS7), одобренное на её собрании в Женеве.\n\n" +
						"С уважением,\n\n" +
						"Секретариат 5-й Исследовательской комиссии\n" +
						"Бюро стандартизации электросвязи (БСЭ)\n" +
						"Международный союз электросвязи\n")},
				{name: "sp18-sg5-oLS-00007.pdf", ctype: "application/pdf", encoding: "base64", data: sg5GREEN},
			},
		},
		{
			file: "85-itu-sg2-2000-pdf-enum-liaison-ietf-isoc.eml",
			crlf: true,
			headers: `Return-Path: <roy.blane@example.org>
Received: from smtp.example.org (smtp.example.org [192.0.2.31])
	by mail.ietf.example (8.9.3/8.9.3) with ESMTP id KAA29871
	for <statements@ietf.example>; Mon, 13 Nov 2000 05:05:14 -0500 (EST)
From: "Blane, Roy" <roy.blane@example.org>
To: "'statements@ietf.example'" <statements@ietf.example>
Cc: "'enum-chairs@ietf.example'" <enum-chairs@ietf.example>
Subject: Liaison from ITU-T WP1/2 (Berlin, October 2000)
Date: Mon, 13 Nov 2000 11:05:02 +0100
Message-ID: <01C04D5A.7B3E2F40@exchange.example.org>
X-Mailer: Internet Mail Service (5.5.2650.21)
`,
			parts: []part{
				text("Dear colleagues,\n\nAttached is the liaison agreed by ITU-T Working Party 1/2 at its meeting in\nBerlin, 19-26 October 2000.\n\nRegards,\nRoy Blane\n"),
				{name: "WP1-2_Berlin_LS_ENUM.pdf", ctype: "application/pdf", encoding: "base64", data: wp12ENUM},
			},
		},
		{
			file: "86-fwd-spanish-gmail-etsi-ee-pdf-green-reply.eml",
			headers: `Return-Path: <diego.r.lopez@example.com>
Received: from mail-wm1-f41.example.com (mail-wm1-f41.example.com [203.0.113.41])
	by mail.ietf.example (Postfix) with ESMTPS id 4bhS0c6TnDz2
	for <statements@ietf.example>; Wed, 16 Jul 2025 09:12:05 +0200 (CEST)
From: Diego Lopez <diego.r.lopez@example.com>
Date: Wed, 16 Jul 2025 09:11:58 +0200
Message-ID: <CAL4Rq9x7mZ2vB0pTnW3kY8sJfHd6gE1a@mail.example.com>
Subject: Fwd: Liaison out to IETF GREEN working group
To: statements@ietf.example
Cc: green-chairs@ietf.example
`,
			parts: []part{
				text("Hi,\n\nThis reply from ETSI TC EE to our creation LS came to the chairs only. Could you\nplease record it as an incoming liaison for GREEN?\n\nThanks,\nDiego\n\n---------- Mensaje reenviado ---------\nDe: TC EE Officer <laure.pourcin@example.org>\nFecha: mar, 15 jul 2025, 10:20\nAsunto: Liaison out to IETF GREEN working group\nPara: Diego Lopez <diego.r.lopez@example.com>, Robert Wilton <rwilton@example.com>\nCc: <green@ietf.example>, Mahesh Jethanandani <mjethanandani@example.com>\n\n\nDear GREEN chairs,\n\nplease find attached a liaison statement from ETSI TC EE.\n\nBest regards,\nLaure Pourcin\nTC EE Officer, ETSI\n"),
				{name: "2025_June_ETSI_LS_out_to_IETF_GREEN_working_group.pdf", ctype: "application/pdf", encoding: "base64", data: eeGREEN},
			},
		},
		{
			file: "95-fwd-gmail-ieee8021-pdf-detnet-bar-bof.eml",
			headers: `Return-Path: <eric.gray@example.com>
Received: from mail-ob0-f171.example.com (mail-ob0-f171.example.com [203.0.113.171])
	by mail.ietf.example (Postfix) with ESMTPS id 3hP9Wq1kL4z2
	for <statements@ietf.example>; Tue, 26 Aug 2014 17:02:41 +0200 (CEST)
From: Eric Gray <eric.gray@example.com>
Date: Tue, 26 Aug 2014 11:02:33 -0400
Message-ID: <CAK3mXq0Lr7d1hZ5wTf9PbN2sVe8gYc4@mail.example.com>
Subject: Fwd: Liaison from IEEE 802.1 - Deterministic Networking
To: statements@ietf.example
Cc: The IETF Chair <chair@ietf.example>
`,
			parts: []part{
				text("Hi,\n\nThis letter from 802.1 went to the IETF Chair before IETF 90 but was never\nentered in the liaison tracker. Please record it (for information, no\nresponse requested).\n\nThanks,\nEric\n\n---------- Forwarded message ----------\nFrom: Glenn Parsons <glenn.parsons@example.com>\nDate: Mon, Jul 14, 2014 at 4:51 PM\nSubject: Liaison from IEEE 802.1 - Deterministic Networking\nTo: Jari Arkko <jari.arkko@example.com>\nCc: Eric Gray <eric.gray@example.com>\n\n\nJari,\n\nPlease see the attached letter.\n\nCheers,\nGlenn\n"),
				{name: "liaison-IETF-DetNet-0714-v01.pdf", ctype: "application/pdf; name=\"liaison-IETF-DetNet-0714-v01.pdf\"", encoding: "base64", data: ieeeDetNet},
			},
		},
		{
			file: "96-outgoing-ccamp-docx-response-sg15-otnt-work-plan.eml",
			headers: `Return-Path: <adrian@example.com>
Received: from smtp.example.com (smtp.example.com [192.0.2.118])
	by mail.ietf.example (Postfix) with ESMTP id 6F1A33A6B2C
	for <statements@ietf.example>; Sat,  6 Sep 2008 07:14:09 -0700 (PDT)
From: "Adrian Farrel" <adrian@example.com>
To: <tsbsg15@itu.int>
Cc: <statements@ietf.example>, "Deborah Brungard" <dbrungard@example.com>,
 <ccamp@ietf.example>, "Ross Callon" <rcallon@example.com>, "David Ward" <dward@example.com>
Subject: Liaison: Response to your ITU-T SG15 OTNT Standardization Work Plan
Date: Sat, 6 Sep 2008 15:13:52 +0100
Message-ID: <01a401c91025$6b2f3c40$0300a8c0@your029b8cecfe>
X-Mailer: Microsoft Office Outlook 11
`,
			parts: []part{
				text("Dear Greg,\n\nPlease find attached a liaison from the IETF CCAMP working group to ITU-T\nStudy Group 15, responding to your OTNT standardization work plan. I would be\ngrateful if you could pass it to the relevant Questions.\n\nRegards,\nAdrian\n"),
				{name: "CCAMP-to-SG15-OTNT-Work-Plan-response.docx", ctype: docxMIME, encoding: "base64", data: ccampOTNT},
			},
		},
	}
}

// letterLines lays out one line of text per entry, top down from y, every
// step points; an empty entry leaves a blank line.
func letterLines(x, y, step float64, lines []string) []pdftext.Line {
	var out []pdftext.Line
	for _, s := range lines {
		if s != "" {
			out = append(out, pdftext.Line{X: x, Y: y, S: s})
		}
		y -= step
	}
	return out
}

// tableLines lays out a two-column label/value table, top down from y: the
// label at xl, the value at xv.
func tableLines(xl, xv, y, step float64, rows [][2]string) []pdftext.Line {
	var out []pdftext.Line
	for _, r := range rows {
		if r[0] != "" {
			out = append(out, pdftext.Line{X: xl, Y: y, S: r[0]})
		}
		if r[1] != "" {
			out = append(out, pdftext.Line{X: xv, Y: y, S: r[1]})
		}
		y -= step
	}
	return out
}
